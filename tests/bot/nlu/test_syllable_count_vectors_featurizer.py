from __future__ import annotations

import asyncio
from typing import Any, Callable, List

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.syllable_count_vectors_featurizer import SyllableCountVectorsFeaturizer
from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer


@pytest.fixture
def create_featurizer(
    model_storage: ModelStorage, execution_context: ExecutionContext
) -> Callable[..., SyllableCountVectorsFeaturizer]:
    def create(**overrides: Any) -> SyllableCountVectorsFeaturizer:
        config = {**SyllableCountVectorsFeaturizer.get_default_config(), **overrides}
        return SyllableCountVectorsFeaturizer.create(
            config, model_storage, Resource("syllables"), execution_context
        )

    return create


def train(
    featurizer: SyllableCountVectorsFeaturizer, tokenizer: VietnameseTokenizer, texts: List[str]
) -> TrainingData:
    training_data = TrainingData([Message(data={TEXT: text, INTENT: "ask_account"}) for text in texts])
    tokenizer.process_training_data(training_data)
    featurizer.train(training_data)
    return featurizer.process_training_data(training_data)


def test_vocabulary_is_folded_syllables(
    create_featurizer: Callable[..., SyllableCountVectorsFeaturizer], tokenizer: VietnameseTokenizer
) -> None:
    featurizer = create_featurizer()

    train(featurizer, tokenizer, ["Kích hoạt tài khoản thế nào?", "dk tk mức 2"])

    assert sorted(featurizer.vectorizers[TEXT].vocabulary_) == [
        "__number__",
        "dang",
        "hoat",
        "khoan",
        "kich",
        "ky",
        "muc",
        "nao",
        "tai",
        "the",
    ]
    # intents stay whole labels
    assert sorted(featurizer.vectorizers[INTENT].vocabulary_) == ["ask_account"]


def test_accented_and_unaccented_messages_get_the_same_sentence_features(
    create_featurizer: Callable[..., SyllableCountVectorsFeaturizer], tokenizer: VietnameseTokenizer
) -> None:
    featurizer = create_featurizer(max_ngram=2)
    train(featurizer, tokenizer, ["Kích hoạt tài khoản thế nào?"])
    accented = Message(data={TEXT: "kích hoạt tài khoản"})
    unaccented = Message(data={TEXT: "kich hoat tai khoan"})
    tokenizer.process([accented, unaccented])

    featurizer.process([accented, unaccented])

    # underthesea segments the two differently ...
    assert len(accented.get(TOKENS_NAMES[TEXT])) != len(unaccented.get(TOKENS_NAMES[TEXT]))
    # ... but the syllables and syllable pairs are the same
    [accented_sentence] = accented.get_sparse_features(TEXT)[1].features.toarray()
    [unaccented_sentence] = unaccented.get_sparse_features(TEXT)[1].features.toarray()
    assert (accented_sentence == unaccented_sentence).all()
    assert accented_sentence.sum() == 4 + 3  # kich, hoat, tai, khoan and the 3 pairs


def test_one_row_of_features_per_token(
    create_featurizer: Callable[..., SyllableCountVectorsFeaturizer], tokenizer: VietnameseTokenizer
) -> None:
    featurizer = create_featurizer()
    train(featurizer, tokenizer, ["Kích hoạt tài khoản thế nào?"])
    message = Message(data={TEXT: "Kích hoạt tài khoản thế nào?"})
    tokenizer.process([message])

    featurizer.process([message])

    sequence = message.get_sparse_features(TEXT)[0].features.toarray()
    assert sequence.shape[0] == len(message.get(TOKENS_NAMES[TEXT])) == 2
    vocabulary = featurizer.vectorizers[TEXT].vocabulary_
    assert {word for word, index in vocabulary.items() if sequence[0][index]} == {
        "kich",
        "hoat",
        "tai",
        "khoan",
    }


@pytest.mark.parametrize(
    "key, value", [("syllable_separator", ""), ("syllable_separator", None), ("OOV_token", "oov")]
)
def test_validate_config_rejects_bad_values(
    create_featurizer: Callable[..., SyllableCountVectorsFeaturizer], key: str, value: Any
) -> None:
    with pytest.raises(ValueError, match=f"SyllableCountVectorsFeaturizer: '{key}'"):
        create_featurizer(**{key: value})


SMOKE_CONFIG = """\
recipe: default.v1
language: vi
assistant_id: syllable_count_vectors_smoke_test
pipeline:
  - name: bot.nlu.vietnamese_tokenizer.VietnameseTokenizer
  - name: CountVectorsFeaturizer
  - name: bot.nlu.syllable_count_vectors_featurizer.SyllableCountVectorsFeaturizer
    max_ngram: 2
  - name: DIETClassifier
    epochs: 1
    evaluate_every_number_of_epochs: 1
policies: []
"""

SMOKE_NLU = """\
version: "3.1"
nlu:
- intent: activate_account
  examples: |
    - làm sao để kích hoạt tài khoản định danh điện tử?
    - kich hoat tai khoan vneid the nao
- intent: thank
  examples: |
    - cảm ơn 👍
    - cam on ban nhe
"""


@pytest.mark.slow
def test_smoke_training_and_parsing(train_nlu_model: Callable[[str, str], str]) -> None:
    from rasa.core.agent import Agent

    model = train_nlu_model(SMOKE_CONFIG, SMOKE_NLU)

    parsed = asyncio.run(Agent.load(model).parse_message("kich hoat tk the nao"))
    assert parsed["intent"]["name"] in {"activate_account", "thank"}
