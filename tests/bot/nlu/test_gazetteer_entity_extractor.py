from __future__ import annotations

import asyncio
import unicodedata
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.gazetteer_entity_extractor import Gazetteer, GazetteerEntityExtractor, Phrase

ReadNluData = Callable[[str], TrainingData]

NLU_DATA = """\
version: "3.1"
nlu:
- intent: ask_procedure
  examples: |
    - đăng ký tạm trú ở đâu
    - làm thủ tục ở đâu
- lookup: procedure
  examples: |
    - đăng ký
    - đăng ký tạm trú
    - đăng ký thường trú
    - kích hoạt tài khoản
- lookup: level
  examples: |
    - mức 1
    - mức 2
- lookup: paper
  examples: |
    - căn cước công dân
    - chứng minh nhân dân
    - giấy phép lái xe
- lookup: place
  examples: |
    - Hà Nội
    - Huế
    - Thừa Thiên Huế
    - x
- synonym: giấy phép lái xe
  examples: |
    - bằng lái xe
    - bằng lái
- synonym: Hà Nội
  examples: |
    - HN
    - thủ đô
- synonym: buổi sáng
  examples: |
    - sáng
"""


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def create_extractor(
    model_storage: ModelStorage, execution_context: ExecutionContext
) -> Callable[..., GazetteerEntityExtractor]:
    def create(resource: str = "gazetteer", **overrides: Any) -> GazetteerEntityExtractor:
        config = {**GazetteerEntityExtractor.get_default_config(), **overrides}
        return GazetteerEntityExtractor.create(config, model_storage, Resource(resource), execution_context)

    return create


@pytest.fixture
def trained(
    create_extractor: Callable[..., GazetteerEntityExtractor], read_nlu_data: ReadNluData
) -> GazetteerEntityExtractor:
    extractor = create_extractor()
    extractor.train(read_nlu_data(NLU_DATA))
    return extractor


def extract(extractor: GazetteerEntityExtractor, text: str) -> List[Dict[str, Any]]:
    message = Message(data={TEXT: text})
    extractor.process([message])
    return message.get(ENTITIES)


def found(extractor: GazetteerEntityExtractor, text: str) -> List[Tuple[str, str, str]]:
    """(entity, matched span of the text, value) of each entity found."""
    return [(e["entity"], text[e["start"] : e["end"]], e["value"]) for e in extract(extractor, text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # accented, unaccented, upper case: one value, the element as written in the data
        (
            "Tôi muốn đăng ký tạm trú ở Hà Nội",
            [("procedure", "đăng ký tạm trú", "đăng ký tạm trú"), ("place", "Hà Nội", "Hà Nội")],
        ),
        (
            "toi muon dang ky tam tru o ha noi",
            [("procedure", "dang ky tam tru", "đăng ký tạm trú"), ("place", "ha noi", "Hà Nội")],
        ),
        ("ĐĂNG KÝ THƯỜNG TRÚ", [("procedure", "ĐĂNG KÝ THƯỜNG TRÚ", "đăng ký thường trú")]),
        # wrong tone marks, "ð" for "đ" and "i" for "y" still match
        ("ðăng kí tam trù", [("procedure", "ðăng kí tam trù", "đăng ký tạm trú")]),
        ("dang ki thuong tru", [("procedure", "dang ki thuong tru", "đăng ký thường trú")]),
        # abbreviations expand on both sides: "dk" is "đăng ký", "cccd" is the whole paper name
        ("dk tam tru o HN", [("procedure", "dk tam tru", "đăng ký tạm trú"), ("place", "HN", "Hà Nội")]),
        ("Đk thường trú", [("procedure", "Đk thường trú", "đăng ký thường trú")]),
        ("lam lai CCCD", [("paper", "CCCD", "căn cước công dân")]),
        ("mất cmnd thì sao", [("paper", "cmnd", "chứng minh nhân dân")]),
        ("gplx het han", [("paper", "gplx", "giấy phép lái xe")]),
        # synonyms give the canonical value; the longest synonym wins
        ("đổi bằng lái xe ở đâu", [("paper", "bằng lái xe", "giấy phép lái xe")]),
        ("doi bang lai", [("paper", "bang lai", "giấy phép lái xe")]),
        ("làm ở thủ đô", [("place", "thủ đô", "Hà Nội")]),
        # a synonym whose value is in no lookup table is not a phrase
        ("sáng mai", []),
        # boundaries: whole runs of letters and digits only
        ("tài khoản mức 20", []),
        ("mức 2.", [("level", "mức 2", "mức 2")]),
        ("(muc 1)", [("level", "muc 1", "mức 1")]),
        ("mức2", []),
        ("hà nộii", []),
        ("xHà Nội", []),
        ("vneid.hue", [("place", "hue", "Huế")]),
        # the longest phrase wins over the ones inside it
        ("về Thừa Thiên Huế", [("place", "Thừa Thiên Huế", "Thừa Thiên Huế")]),
        ("đăng ký", [("procedure", "đăng ký", "đăng ký")]),
        # whatever underthesea makes of it (one word here), the phrase is found
        (
            "kích hoạt tài khoản mức 2",
            [("procedure", "kích hoạt tài khoản", "kích hoạt tài khoản"), ("level", "mức 2", "mức 2")],
        ),
        # elements shorter than min_length (here "x") are left out
        ("x", []),
        # words typed with marks are not abbreviations: "đắk" is not "đăng ký"
        ("đắk tạm trú", []),
    ],
)
def test_entities_found(
    trained: GazetteerEntityExtractor, text: str, expected: List[Tuple[str, str, str]]
) -> None:
    assert found(trained, text) == expected


def test_nfd_text_gives_offsets_into_the_nfd_text(trained: GazetteerEntityExtractor) -> None:
    text = nfd("Đăng ký tạm trú ở Hà Nội")

    entities = extract(trained, text)

    procedure, place = len(nfd("Đăng ký tạm trú")), len(nfd("Đăng ký tạm trú ở "))
    assert [(e["start"], e["end"]) for e in entities] == [(0, procedure), (place, len(text))]
    assert [text[e["start"] : e["end"]] for e in entities] == [nfd("Đăng ký tạm trú"), nfd("Hà Nội")]
    assert [e["value"] for e in entities] == ["đăng ký tạm trú", "Hà Nội"]


def test_entity_format(trained: GazetteerEntityExtractor) -> None:
    assert extract(trained, "mức 2") == [
        {
            "entity": "level",
            "start": 0,
            "end": 5,
            "value": "mức 2",
            "confidence_entity": 1.0,
            "extractor": "GazetteerEntityExtractor",
        }
    ]


def test_entities_are_appended_to_existing_ones(trained: GazetteerEntityExtractor) -> None:
    existing = {"entity": "time", "start": 0, "end": 4, "value": "sáng", "extractor": "DIETClassifier"}
    message = Message(data={TEXT: "sáng mai đăng ký tạm trú", ENTITIES: [existing]})

    trained.process([message])

    assert [e["entity"] for e in message.get(ENTITIES)] == ["time", "procedure"]
    assert message.get(ENTITIES)[0] == existing


@pytest.mark.parametrize("text", ["", "   ", "???", "\u0301\u0300", "a \ud800 b"])
def test_texts_without_phrases_give_no_entities(trained: GazetteerEntityExtractor, text: str) -> None:
    assert extract(trained, text) == []


def test_message_without_text_is_left_alone(trained: GazetteerEntityExtractor) -> None:
    message = Message(data={"intent": "greet"})

    trained.process([message])

    assert message.get(ENTITIES) == []


OFFSET_TEXTS = [
    "Tôi muốn đăng ký tạm trú ở Hà Nội, còn bạn đăng ký thường trú ở Huế?",
    nfd("ĐĂNG KÝ tạm trú; Thừa Thiên Huế; mức 2; bằng lái xe"),
    "dk tam tru\u200bHN\tmuc 1\r\ngplx, cccd & cmnd!!!",
    "👨\u200d👩\u200d👧 hà nội 👍🏽 huế 🇻🇳 mức 1",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ Hà Nội",
    "Thừa Thiên Huế mức 2 bằng lái " * 200,
]


@pytest.mark.parametrize("text", OFFSET_TEXTS)
def test_offsets_point_into_the_original_text(trained: GazetteerEntityExtractor, text: str) -> None:
    entities = extract(trained, text)

    assert entities
    phrases = {(p.entity, p.value, p.units) for p in trained.gazetteer.phrases}
    for entity in entities:
        span = text[entity["start"] : entity["end"]]
        assert span and span == span.strip()
        # the span reads as a phrase of that entity and value
        assert (entity["entity"], entity["value"], trained.gazetteer.phrase_units(span)) in phrases
    for previous, entity in zip(entities, entities[1:], strict=False):
        assert previous["end"] <= entity["start"]


@pytest.mark.parametrize(
    "elements, text, expected",
    [
        # the longest candidate wins, even when a shorter one starts further left
        (
            ["kích hoạt", "hoạt tài khoản định danh"],
            "kích hoạt tài khoản định danh",
            ["hoạt tài khoản định danh"],
        ),
        # then what is left is filled in
        (
            ["kích hoạt", "hoạt tài khoản định danh", "định danh điện tử", "điện tử"],
            "kích hoạt tài khoản định danh điện tử",
            ["hoạt tài khoản định danh", "điện tử"],
        ),
        # of two equally long candidates, the leftmost wins
        (["tài khoản", "khoản vay"], "tài khoản vay", ["tài khoản"]),
        # repeated phrases are all found
        (["mức 1"], "mức 1 hay mức 1", ["mức 1", "mức 1"]),
    ],
)
def test_overlapping_candidates(elements: List[str], text: str, expected: List[str]) -> None:
    gazetteer = Gazetteer()
    for element in elements:
        gazetteer.add(Phrase("thing", gazetteer.phrase_units(element), element))

    assert [text[m.start : m.end] for m in gazetteer.find(text)] == expected


def test_persistence_round_trip(
    trained: GazetteerEntityExtractor,
    model_storage: ModelStorage,
    execution_context: ExecutionContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The abbreviation table is stored with the model: loading does not read the file again.
    def no_file(*args: Any) -> None:
        raise AssertionError("the loaded model read abbreviations.yml")

    monkeypatch.setattr("bot.nlu.gazetteer_entity_extractor.load_abbreviations", no_file)
    loaded = GazetteerEntityExtractor.load(
        GazetteerEntityExtractor.get_default_config(), model_storage, Resource("gazetteer"), execution_context
    )

    for text in OFFSET_TEXTS + ["dk tam tru o HN", "lam lai CCCD"]:
        assert extract(loaded, text) == extract(trained, text)
    assert loaded.gazetteer.phrases == trained.gazetteer.phrases


def test_loading_without_a_trained_resource_extracts_nothing(
    model_storage: ModelStorage, execution_context: ExecutionContext
) -> None:
    with pytest.warns(UserWarning, match="Failed to load GazetteerEntityExtractor"):
        loaded = GazetteerEntityExtractor.load(
            GazetteerEntityExtractor.get_default_config(),
            model_storage,
            Resource("missing"),
            execution_context,
        )

    message = Message(data={TEXT: "đăng ký tạm trú"})
    loaded.process([message])
    assert message.get(ENTITIES) is None


def test_no_lookup_tables(
    create_extractor: Callable[..., GazetteerEntityExtractor],
    model_storage: ModelStorage,
    execution_context: ExecutionContext,
) -> None:
    extractor = create_extractor()
    training_data = TrainingData([Message(data={TEXT: "xin chào", "intent": "greet"})])

    with pytest.warns(UserWarning, match="found no lookup table elements"):
        extractor.train(training_data)
    loaded = GazetteerEntityExtractor.load(
        GazetteerEntityExtractor.get_default_config(), model_storage, Resource("gazetteer"), execution_context
    )

    for component in (extractor, loaded):
        message = Message(data={TEXT: "đăng ký tạm trú ở Hà Nội"})
        component.process([message])
        assert message.get(ENTITIES) is None


def test_only_the_configured_entities(
    create_extractor: Callable[..., GazetteerEntityExtractor], read_nlu_data: ReadNluData
) -> None:
    extractor = create_extractor(entities=["place", "level"])
    extractor.train(read_nlu_data(NLU_DATA))

    assert found(extractor, "đăng ký tạm trú mức 2 ở HN") == [
        ("level", "mức 2", "mức 2"),
        ("place", "HN", "Hà Nội"),
    ]


def test_min_length(
    create_extractor: Callable[..., GazetteerEntityExtractor], read_nlu_data: ReadNluData
) -> None:
    short, default = create_extractor("short", min_length=1), create_extractor("long", min_length=4)
    short.train(read_nlu_data(NLU_DATA))
    default.train(read_nlu_data(NLU_DATA))

    assert found(short, "x") == [("place", "x", "x")]
    # "Huế" is 3 letters, "HN" 2: left out; "mức 1" is 4 without its space: kept
    assert found(default, "Huế, HN, mức 1") == [("level", "mức 1", "mức 1")]


def test_without_abbreviations(
    create_extractor: Callable[..., GazetteerEntityExtractor], read_nlu_data: ReadNluData
) -> None:
    extractor = create_extractor(abbreviations=False)
    extractor.train(read_nlu_data(NLU_DATA))

    assert found(extractor, "dk tam tru, lam lai cccd") == []
    assert found(extractor, "dang ky tam tru") == [("procedure", "dang ky tam tru", "đăng ký tạm trú")]


def test_elements_that_read_alike_keep_the_first_and_warn(
    create_extractor: Callable[..., GazetteerEntityExtractor], read_nlu_data: ReadNluData
) -> None:
    extractor = create_extractor()
    data = """\
    version: "3.1"
    nlu:
    - lookup: place
      examples: |
        - Hòa Bình
        - Hoà Bình
        - hoa binh
    - lookup: commune
      examples: |
        - Hòa Bình
    """

    with pytest.warns(UserWarning, match="3 lookup elements are the same once case, diacritics"):
        extractor.train(read_nlu_data(data))

    assert found(extractor, "HOA BINH") == [("place", "HOA BINH", "Hòa Bình")]


def test_lookup_table_in_a_file(
    create_extractor: Callable[..., GazetteerEntityExtractor], tmp_path: Path
) -> None:
    # Rasa's JSON format lets `elements` name a file with one element per line.
    elements = tmp_path / "places.txt"
    elements.write_text("Hà Nội\nĐà Nẵng\n", encoding="utf-8")
    extractor = create_extractor()

    extractor.train(TrainingData(lookup_tables=[{"name": "place", "elements": str(elements)}]))

    assert found(extractor, "da nang") == [("place", "da nang", "Đà Nẵng")]


@pytest.mark.parametrize(
    "key, value",
    [
        ("entities", "place"),
        ("entities", [""]),
        ("entities", [1]),
        ("min_length", 0),
        ("min_length", True),
        ("min_length", "2"),
        ("abbreviations", "yes"),
    ],
)
def test_validate_config_rejects_bad_values(
    create_extractor: Callable[..., GazetteerEntityExtractor], key: str, value: Any
) -> None:
    with pytest.raises(ValueError, match=f"GazetteerEntityExtractor: '{key}'"):
        create_extractor(**{key: value})


def test_defaults_are_valid() -> None:
    GazetteerEntityExtractor.validate_config(GazetteerEntityExtractor.get_default_config())


SMOKE_CONFIG = """\
recipe: default.v1
language: vi
assistant_id: gazetteer_smoke_test
pipeline:
  - name: bot.nlu.vietnamese_tokenizer.VietnameseTokenizer
  - name: bot.nlu.gazetteer_entity_extractor.GazetteerEntityExtractor
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
    epochs: 1
    evaluate_every_number_of_epochs: 1
    entity_recognition: false
policies: []
"""

SMOKE_NLU = (
    NLU_DATA
    + """\
- intent: thank
  examples: |
    - cảm ơn
    - cam on ban
"""
)


@pytest.mark.slow
def test_smoke_training_and_parsing(train_nlu_model: Callable[[str, str], str]) -> None:
    from rasa.core.agent import Agent

    model = train_nlu_model(SMOKE_CONFIG, SMOKE_NLU)

    text = nfd("Đăng ký tạm trú ở HN")
    parsed = asyncio.run(Agent.load(model).parse_message(text))
    entities: List[Dict[str, Optional[Any]]] = parsed["entities"]
    assert [(e["entity"], text[e["start"] : e["end"]], e["value"]) for e in entities] == [
        ("procedure", nfd("Đăng ký tạm trú"), "đăng ký tạm trú"),
        ("place", "HN", "Hà Nội"),
    ]
    assert all(e["extractor"] == "GazetteerEntityExtractor" for e in entities)
