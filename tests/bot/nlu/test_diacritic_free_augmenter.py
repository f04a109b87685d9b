from __future__ import annotations

import asyncio
import unicodedata
from typing import Any, Callable, List, Tuple

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.diacritic_free_augmenter import DiacriticFreeAugmenter
from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer

ReadNluData = Callable[[str], TrainingData]

NLU_DATA = """\
version: "3.1"
nlu:
- intent: ask_temporary_residence
  examples: |
    - Đăng ký tạm trú ở đâu?
    - dang ky tam tru o dau
    - làm [tạm trú](procedure) ở [Hà Nội](place) thế nào
    - tạm trú online được không
- intent: greet
  examples: |
    - xin chào
    - Xin chào
    - chào bạn
- lookup: place
  examples: |
    - Hà Nội
- synonym: Hà Nội
  examples: |
    - HN
- regex: phone
  examples: |
    - \\d{10}
"""


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def create_augmenter(
    model_storage: ModelStorage, execution_context: ExecutionContext
) -> Callable[..., DiacriticFreeAugmenter]:
    def create(**overrides: Any) -> DiacriticFreeAugmenter:
        config = {**DiacriticFreeAugmenter.get_default_config(), **overrides}
        return DiacriticFreeAugmenter.create(config, model_storage, Resource("augmenter"), execution_context)

    return create


def examples(training_data: TrainingData) -> List[Tuple[str, str]]:
    return [(m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples]


def test_adds_a_copy_without_diacritics_of_each_accented_example(
    create_augmenter: Callable[..., DiacriticFreeAugmenter], read_nlu_data: ReadNluData
) -> None:
    training_data = read_nlu_data(NLU_DATA)

    augmented = create_augmenter().process_training_data(training_data)

    assert examples(augmented) == examples(training_data) + [
        # "Đăng ký tạm trú ở đâu?" gives "Dang ky tam tru o dau?": case and punctuation
        # stay, so it is not the existing "dang ky tam tru o dau"
        ("Dang ky tam tru o dau?", "ask_temporary_residence"),
        ("lam tam tru o Ha Noi the nao", "ask_temporary_residence"),
        ("tam tru online duoc khong", "ask_temporary_residence"),
        # "xin chào" and "Xin chào" give two texts; "chào bạn" one
        ("xin chao", "greet"),
        ("Xin chao", "greet"),
        ("chao ban", "greet"),
    ]


def test_copies_keep_the_entities_at_the_same_offsets(
    create_augmenter: Callable[..., DiacriticFreeAugmenter], read_nlu_data: ReadNluData
) -> None:
    augmented = create_augmenter().process_training_data(read_nlu_data(NLU_DATA))

    [original, copy] = [
        m for m in augmented.entity_examples if "Ha Noi" in m.get(TEXT) or "Hà Nội" in m.get(TEXT)
    ]
    assert copy.get(ENTITIES) == original.get(ENTITIES)
    assert [copy.get(TEXT)[e["start"] : e["end"]] for e in copy.get(ENTITIES)] == ["tam tru", "Ha Noi"]
    assert [e["value"] for e in copy.get(ENTITIES)] == ["tạm trú", "Hà Nội"]


def test_copies_do_not_share_data_with_the_originals(
    create_augmenter: Callable[..., DiacriticFreeAugmenter], read_nlu_data: ReadNluData
) -> None:
    training_data = read_nlu_data(NLU_DATA)
    augmented = create_augmenter().process_training_data(training_data)

    augmented.entity_examples[-1].get(ENTITIES)[0]["value"] = "changed"

    assert all(e["value"] != "changed" for m in training_data.entity_examples for e in m.get(ENTITIES))


def test_everything_else_in_the_training_data_is_kept(
    create_augmenter: Callable[..., DiacriticFreeAugmenter], read_nlu_data: ReadNluData
) -> None:
    training_data = read_nlu_data(NLU_DATA)

    augmented = create_augmenter().process_training_data(training_data)

    assert augmented.lookup_tables == training_data.lookup_tables
    assert augmented.entity_synonyms == training_data.entity_synonyms
    assert augmented.regex_features == training_data.regex_features
    assert augmented.intents == training_data.intents


@pytest.mark.parametrize(
    "texts, expected_copies",
    [
        # no diacritics: nothing to copy
        ([("xin chao", "greet")], []),
        # the copy is already an example, of this intent or another: no copy
        ([("chào", "greet"), ("chao", "greet")], []),
        ([("chào", "greet"), ("chao", "goodbye")], []),
        # two examples that differ only in their diacritics give one copy, not two labels
        ([("mức 2", "ask_level"), ("mực 2", "ask_squid")], [("muc 2", "ask_level")]),
        # "đ" counts as a diacritic
        ([("đi", "go")], [("di", "go")]),
    ],
)
def test_which_examples_are_copied(
    create_augmenter: Callable[..., DiacriticFreeAugmenter],
    texts: List[Tuple[str, str]],
    expected_copies: List[Tuple[str, str]],
) -> None:
    training_data = TrainingData([Message(data={TEXT: text, INTENT: intent}) for text, intent in texts])

    assert [(m.get(TEXT), m.get(INTENT)) for m in create_augmenter().copies(training_data)] == expected_copies


def test_entity_example_whose_length_changes_is_not_copied(
    create_augmenter: Callable[..., DiacriticFreeAugmenter],
) -> None:
    # NFD text loses its combining marks: the offsets would no longer fit.
    text = nfd("ở Hà Nội")
    entity = {"start": 2, "end": len(text), "value": "Hà Nội", "entity": "place"}
    with_entity = Message(data={TEXT: text, INTENT: "ask", ENTITIES: [entity]})
    without_entity = Message(data={TEXT: nfd("tạm trú"), INTENT: "ask"})

    copies = create_augmenter().copies(TrainingData([with_entity, without_entity]))

    assert [m.get(TEXT) for m in copies] == ["tam tru"]


def test_entity_example_whose_words_move_is_not_copied(
    create_augmenter: Callable[..., DiacriticFreeAugmenter],
) -> None:
    # Not NFC: "e\u0301" loses a character and "\u0f43" gains one ("\u0f42\u0fb7"), so the
    # length stays while "ab" between them moves one place to the left.
    text = "e\u0301 ab \u0f43"
    entity = {"start": 3, "end": 5, "value": "ab", "entity": "thing"}
    with_entity = Message(data={TEXT: text, INTENT: "ask", ENTITIES: [entity]})

    assert create_augmenter().copies(TrainingData([with_entity])) == []


def test_disabled_passes_the_training_data_through(
    create_augmenter: Callable[..., DiacriticFreeAugmenter], read_nlu_data: ReadNluData
) -> None:
    training_data = read_nlu_data(NLU_DATA)

    assert create_augmenter(enabled=False).process_training_data(training_data) is training_data


def test_inference_is_unchanged(create_augmenter: Callable[..., DiacriticFreeAugmenter]) -> None:
    messages = [Message(data={TEXT: "Đăng ký tạm trú ở đâu?"})]

    assert create_augmenter().process(messages) is messages
    assert messages[0].data == {TEXT: "Đăng ký tạm trú ở đâu?"}


def test_copies_are_tokenized_by_the_tokenizer_after_it(
    create_augmenter: Callable[..., DiacriticFreeAugmenter],
    tokenizer: VietnameseTokenizer,
    read_nlu_data: ReadNluData,
) -> None:
    augmented = tokenizer.process_training_data(
        create_augmenter().process_training_data(read_nlu_data(NLU_DATA))
    )

    original = next(m for m in augmented.intent_examples if m.get(TEXT) == "làm tạm trú ở Hà Nội thế nào")
    copy = next(m for m in augmented.intent_examples if m.get(TEXT) == "lam tam tru o Ha Noi the nao")
    user_message = Message(data={TEXT: "lam tam tru o Ha Noi the nao"})
    tokenizer.process([user_message])
    # The copy is segmented as a user's unaccented message is, not as its original was:
    # that is what the classifier should learn from.
    lemmas = [t.lemma for t in copy.get(TOKENS_NAMES[TEXT])]
    assert lemmas == [t.lemma for t in user_message.get(TOKENS_NAMES[TEXT])]
    assert lemmas != [t.lemma for t in original.get(TOKENS_NAMES[TEXT])]


def test_after_the_tokenizer_is_a_configuration_error(
    create_augmenter: Callable[..., DiacriticFreeAugmenter],
    tokenizer: VietnameseTokenizer,
    read_nlu_data: ReadNluData,
) -> None:
    tokenized = tokenizer.process_training_data(read_nlu_data(NLU_DATA))

    with pytest.raises(ValueError, match="DiacriticFreeAugmenter must come before the tokenizer"):
        create_augmenter().process_training_data(tokenized)


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_validate_config_rejects_bad_values(
    create_augmenter: Callable[..., DiacriticFreeAugmenter], value: Any
) -> None:
    with pytest.raises(ValueError, match="DiacriticFreeAugmenter: 'enabled'"):
        create_augmenter(enabled=value)


SMOKE_CONFIG = """\
recipe: default.v1
language: vi
assistant_id: diacritic_free_augmenter_smoke_test
pipeline:
  - name: bot.nlu.diacritic_free_augmenter.DiacriticFreeAugmenter
  - name: bot.nlu.vietnamese_tokenizer.VietnameseTokenizer
  - name: CountVectorsFeaturizer
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
    - KÍCH HOẠT tài khoản mức 2 ở đâu
- intent: thank
  examples: |
    - cảm ơn 👍
    - cam on ban nhe
    - cảm ơn
"""


@pytest.mark.slow
def test_smoke_training_shows_the_copies_to_the_classifier(
    train_nlu_model: Callable[[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.agent import Agent
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    seen: List[str] = []
    train = DIETClassifier.train

    # No annotation on self: Rasa resolves the annotations of the method it calls.
    def spy(self, training_data: TrainingData) -> Resource:
        seen.extend(m.get(TEXT) for m in training_data.intent_examples)
        return train(self, training_data)

    monkeypatch.setattr(DIETClassifier, "train", spy)

    model = train_nlu_model(SMOKE_CONFIG, SMOKE_NLU)

    # the 6 examples, and a copy of each of the 4 with diacritics
    assert len(seen) == 10
    assert {
        "lam sao de kich hoat tai khoan dinh danh dien tu?",
        "cam on",
        "KICH HOAT tai khoan muc 2 o dau",
    } <= set(seen)
    # At inference the text is what the user typed.
    parsed = asyncio.run(Agent.load(model).parse_message("Kích hoạt tài khoản thế nào?"))
    assert parsed["text"] == "Kích hoạt tài khoản thế nào?"
    assert parsed["intent"]["name"] in {"activate_account", "thank"}
