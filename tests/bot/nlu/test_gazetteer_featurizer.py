from __future__ import annotations

import asyncio
import tarfile
from typing import Any, Callable, List

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.gazetteer_featurizer import GazetteerFeaturizer, feature_word
from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer

NLU_DATA = """\
version: "3.1"
nlu:
- intent: ask_register_level1
  examples: |
    - đăng ký tài khoản mức 1
- intent: ask_register_level2
  examples: |
    - đăng ký tài khoản mức 2 ở đâu
- intent: ask_vehicle
  examples: |
    - đăng ký xe ở đâu
    - có khách ở lại thì thông báo lưu trú thế nào
- lookup: account_level
  examples: |
    - mức 1
    - mức 2
- synonym: "1"
  examples: |
    - mức 1
- synonym: "2"
  examples: |
    - mức 2
- lookup: procedure_name
  examples: |
    - đăng ký xe
    - thông báo lưu trú
"""


@pytest.fixture
def resource() -> Resource:
    return Resource("gazetteer_features")


@pytest.fixture
def create_featurizer(
    model_storage: ModelStorage, execution_context: ExecutionContext, resource: Resource
) -> Callable[..., GazetteerFeaturizer]:
    def create(**overrides: Any) -> GazetteerFeaturizer:
        config = {**GazetteerFeaturizer.get_default_config(), **overrides}
        return GazetteerFeaturizer.create(config, model_storage, resource, execution_context)

    return create


def trained(
    featurizer: GazetteerFeaturizer,
    tokenizer: VietnameseTokenizer,
    read_nlu_data: Callable[[str], TrainingData],
) -> TrainingData:
    data = read_nlu_data(NLU_DATA)
    tokenizer.process_training_data(data)
    featurizer.train(data)
    return featurizer.process_training_data(data)


@pytest.fixture
def featurizer(create_featurizer, tokenizer, read_nlu_data) -> GazetteerFeaturizer:
    """Trained on NLU_DATA with the default options."""
    trained_featurizer = create_featurizer()
    trained(trained_featurizer, tokenizer, read_nlu_data)
    return trained_featurizer


def features(featurizer: GazetteerFeaturizer, tokenizer: VietnameseTokenizer, text: str) -> List[Any]:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features(TEXT)
    return [message, sequence.features.toarray(), sentence.features.toarray()[0]]


def column(featurizer: GazetteerFeaturizer, word: str) -> int:
    return featurizer.vectorizers[TEXT].vocabulary_[word]


def test_the_vocabulary_is_one_word_per_lookup_value_named_in_training(featurizer, tokenizer) -> None:
    assert sorted(featurizer.vectorizers[TEXT].vocabulary_) == sorted(
        [
            feature_word("account_level", "1"),
            feature_word("account_level", "2"),
            feature_word("procedure_name", "đăng ký xe"),
            feature_word("procedure_name", "thông báo lưu trú"),
        ]
    )
    assert feature_word("procedure_name", "thông báo lưu trú") == "gz_procedure_name_thong_bao_luu_tru"
    # intents are left to the other featurizers
    assert not getattr(featurizer.vectorizers.get(INTENT), "vocabulary_", None)


def test_levels_differ_where_count_features_see_one_number(featurizer, tokenizer) -> None:
    _, _, one = features(featurizer, tokenizer, "dk muc 1 the nao")
    _, _, two = features(featurizer, tokenizer, "Đăng ký mức 2 thế nào?")

    level1, level2 = column(featurizer, "gz_account_level_1"), column(featurizer, "gz_account_level_2")
    assert one[level1] > 0 and one[level2] == 0
    assert two[level2] > 0 and two[level1] == 0


def test_only_the_tokens_inside_a_match_carry_its_feature(featurizer, tokenizer) -> None:
    message, sequence, sentence = features(featurizer, tokenizer, "cho tôi hỏi thong bao luu tru làm sao")

    tokens = message.get(TOKENS_NAMES[TEXT])
    assert sequence.shape[0] == len(tokens)
    stay = column(featurizer, feature_word("procedure_name", "thông báo lưu trú"))
    inside = [t.text for t, row in zip(tokens, sequence, strict=True) if row[stay] > 0]
    assert " ".join(inside) == "thong bao luu tru"
    assert sentence[stay] > 0
    # no lookup value named: no feature at all
    _, _, none = features(featurizer, tokenizer, "xin chào")
    assert not np.any(none)


def test_a_loaded_featurizer_matches_as_the_trained_one(
    featurizer, tokenizer, model_storage, execution_context, resource
) -> None:
    featurizer.persist()

    loaded = GazetteerFeaturizer.load(
        {**GazetteerFeaturizer.get_default_config()}, model_storage, resource, execution_context
    )

    for text in ("dang ky xe o dau", "mức 1 khác mức 2"):
        assert (features(loaded, tokenizer, text)[2] == features(featurizer, tokenizer, text)[2]).all()
    assert features(loaded, tokenizer, "dang ky xe o dau")[2].sum() > 0


def test_other_analyzers_are_refused(create_featurizer) -> None:
    with pytest.raises(Exception, match="analyzer"):
        create_featurizer(analyzer="char_wb")


@pytest.mark.slow
def test_a_trained_model_carries_the_lookup_features(train_nlu_model) -> None:
    from rasa.core.agent import Agent

    from tests.bot.nlu.conftest import smoke_config

    model = train_nlu_model(smoke_config("name: bot.nlu.gazetteer_featurizer.GazetteerFeaturizer"), NLU_DATA)

    # the matcher is stored with the model, beside the vocabulary
    with tarfile.open(model) as archive:
        names = archive.getnames()
    assert any("GazetteerFeaturizer" in n and n.endswith("gazetteer.json") for n in names), names
    assert any("GazetteerFeaturizer" in n and n.endswith("vocabularies.json") for n in names), names
    parsed = asyncio.run(Agent.load(model).parse_message("dk muc 2 o dau"))
    assert parsed["intent"]["name"] in {"ask_register_level1", "ask_register_level2", "ask_vehicle"}


def test_names_on_the_map_count_as_one_place_feature(create_featurizer, tokenizer, read_nlu_data) -> None:
    featurizer = create_featurizer(map_places=True)
    data = read_nlu_data(
        NLU_DATA + "- intent: ask_find\n  examples: |\n    - bưu điện phường Hải Châu ở đâu\n"
    )
    tokenizer.process_training_data(data)
    featurizer.train(data)

    place = column(featurizer, feature_word("place", "map"))
    # a former district and a commune of another province, never in the training data
    for text in ("cong an huyen Krong Pac cu o dau", "trung tâm hành chính công phường Bến Thành"):
        assert features(featurizer, tokenizer, text)[2][place] > 0, text
    assert features(featurizer, tokenizer, "đăng ký xe ở đâu")[2][place] == 0
    # without the option, map names are not matched
    plain = create_featurizer()
    plain.train(data)
    assert feature_word("place", "map") not in plain.vectorizers[TEXT].vocabulary_
