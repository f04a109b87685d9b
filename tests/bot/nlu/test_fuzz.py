"""Hypothesis throws hostile text at the NLU components of bot/nlu and checks what they promise.

Inputs: any Unicode (lone surrogates in their own test), NFD Vietnamese, stacked and stray
combining marks, emoji and ZWJ sequences, right-to-left scripts and bidi controls, zero-width
and control characters, full-width forms, only whitespace, only punctuation, repeated
characters, mixed scripts, and texts of 10-100 KB. The runs are derandomized: the same
examples every time, so a red build is never a roll of the dice. To search further locally,
multiply the numbers in ``fuzz()`` and drop ``derandomize``.
"""

from __future__ import annotations

import itertools
import unicodedata
import warnings
from typing import Any, Callable, Dict, Iterator, List, Sequence, Tuple, TypeVar

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.abbreviations import has_marks, load_abbreviations, parse_abbreviations
from bot.nlu.diacritic_free_augmenter import DiacriticFreeAugmenter
from bot.nlu.gazetteer_entity_extractor import GazetteerEntityExtractor
from bot.nlu.normalization import align_words, normalize_piece, normalize_tone_marks, segment, split_pieces
from bot.nlu.syllable_count_vectors_featurizer import SyllableCountVectorsFeaturizer
from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer
from bot.text import fold, strip_diacritics

settings.register_profile(
    "nlu-fuzz",
    deadline=None,  # underthesea's first calls and 100 KB texts are slow; time is not the property
    derandomize=True,
    database=None,  # derandomized runs need no example database (and leave no .hypothesis/)
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PROFILE = settings.get_profile("nlu-fuzz")
T = TypeVar("T")


def fuzz(max_examples: int) -> settings:
    return settings(PROFILE, max_examples=max_examples)


def always_tried(*texts: str) -> Callable[[T], T]:
    """Add ``texts`` as explicit examples (each ``@example(text)``), tried before the generated ones."""

    def decorate(test: T) -> T:
        for text in reversed(texts):
            test = example(text)(test)
        return test

    return decorate


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- hostile text ------------------------------------------------------------------------------

VIETNAMESE_WORDS = (
    "Làm sao để kích hoạt tài khoản định danh điện tử Đăng ký tạm trú thường trú ở Hà Nội Huế "
    "Thừa Thiên mức 2 căn cước công dân giấy phép lái xe bằng hoà thuỷ khoẻ người quý giữa "
    "ĐK dk cccd tk gplx ko ntn HN 1900 0368 vneid.gov.vn ðăng"
).split()
NASTY = [
    "\u0301",  # stray tone marks, stacked marks, a mark NFC cannot compose ("ǹ" + grave)
    "\u0300\u0323\u0309",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "Ǹ\u0300",
    "\u0345",
    "\ufe0f",
    "👍🏽",  # emoji with modifiers, ZWJ sequences, flags, keycaps, tag sequences
    "👨\u200d👩\u200d👧\u200d👦",
    "🇻🇳",
    "1\ufe0f\u20e3",
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "مَرْحَبًا بالعالم",  # right to left, with points, and bidi controls
    "שָׁלוֹם",
    "\u202eđăng ký\u202c",
    "\u200f\u2067\u2069",
    "\u200b",  # zero-width and invisible characters
    "\u200c\u200d",
    "\u2060\ufeff\u00ad\u180e",
    "\x00",  # control characters
    "\x1b[31m",
    "\x7f\x85",
    "\r\n",
    "ｔàｉ　ｋhoản ０９",  # full-width, compatibility forms and case oddities
    "ﬁ ① Ⅻ",
    "İ ẞ ß ǅ ŉ ǰ ΐ",
    "ΑΣ",
    "\u1100\u1161\u11a8",  # Hangul jamo, scripts whose vowel signs compose or stay apart
    "\u0bc6\u0bbe",
    "\u0f43",
    "हिन्दी",
    "ภาษาไทย",
    "中文",
    "\ue000\uffff\U0010ffff",  # private use and noncharacters
]
SEPARATORS = [
    " ",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "\u3000",
    "\u2028",
    "\u200b",
    ", ",
    ". ",
    "?",
    "!",
    "-",
    "_",
    "/",
]
WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"

CHARACTER = st.characters(exclude_categories=["Cs"])
VIETNAMESE = st.lists(
    st.tuples(st.sampled_from(VIETNAMESE_WORDS), st.sampled_from(SEPARATORS)), max_size=15
).map(lambda pairs: "".join(word + separator for word, separator in pairs))
MIXED = st.lists(
    st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(VIETNAMESE_WORDS),
        st.sampled_from(SEPARATORS),
        st.text(CHARACTER, max_size=4),
    ),
    max_size=20,
).map("".join)
REPEATED = st.builds(
    lambda unit, times: unit * times,
    st.one_of(st.sampled_from(NASTY + VIETNAMESE_WORDS), st.text(CHARACTER, min_size=1, max_size=3)),
    st.integers(1, 300),
)
PLAIN = st.one_of(
    st.text(CHARACTER, max_size=80),  # every category but surrogates, unassigned code points too
    VIETNAMESE,
    MIXED,
    REPEATED,
    st.text(st.sampled_from(WHITESPACE), max_size=30),
    st.text(st.characters(categories=["P"]), max_size=30),
)
# The same texts as typed (NFC or not), in NFD, and in capitals.
HOSTILE = st.one_of(PLAIN, PLAIN.map(nfd), PLAIN.map(str.upper))
# 10-100 KB: a hostile chunk repeated, cut wherever the size falls (maybe inside a cluster).
LONG = st.builds(
    lambda unit, size: (unit * (size // len(unit) + 1))[:size],
    st.one_of(MIXED, VIETNAMESE, st.text(CHARACTER, max_size=40)).filter(bool),
    st.integers(10_000, 100_000),
)
LONG_VIETNAMESE = ("Đăng ký tạm trú ở Hà Nội thế nào? dk tk cccd ntn 👍🏽 " * 2000)[:100_000]
# JSON can carry lone surrogates, although no Rasa training file can.
WITH_SURROGATES = st.lists(st.one_of(PLAIN, st.characters(categories=["Cs"])), min_size=1, max_size=8).map(
    "".join
)

# Found while writing these tests; kept so that they are tried on every run.
REGRESSIONS = [
    "\u0300",  # a lone mark: its lemma was the raw mark (Token() replaced the empty lemma)
    "?\u0300",  # punctuation only: the whole-text token's lemma was the raw, accented text
    "?\u0bc6\u0bbe",  # ... and not NFC
    "A\u01f8\u0300",  # a mark NFC leaves loose: moving the other tone gave non-NFC lemmas
]


# --- components --------------------------------------------------------------------------------

NLU_DATA = """\
version: "3.1"
nlu:
- intent: ask_procedure
  examples: |
    - Đăng ký [tạm trú](procedure) ở [Hà Nội](place) thế nào?
    - làm sao để kích hoạt tài khoản định danh điện tử?
    - kich hoat tai khoan vneid mức 2 ở đâu
    - dk tk cccd ntn
- intent: thank
  examples: |
    - cảm ơn 👍
    - cam on ban nhe, goi 1900 0368
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
    - giấy phép lái xe
- lookup: place
  examples: |
    - Hà Nội
    - Huế
    - Thừa Thiên Huế
- synonym: giấy phép lái xe
  examples: |
    - bằng lái xe
    - bằng lái
- synonym: Hà Nội
  examples: |
    - HN
    - thủ đô
"""
PHRASES = ["đăng ký tạm trú", "đăng ký thường trú", "kích hoạt tài khoản", "mức 1", "mức 2"] + [
    "căn cước công dân", "giấy phép lái xe", "Hà Nội", "Huế", "Thừa Thiên Huế", "bằng lái xe", "HN",
    "dk tam tru", "ĐK thường trú", "cccd", "gplx", "thủ đô",
]  # fmt: skip
PHRASE_FORMS = st.builds(
    lambda phrase, form: form(phrase),
    st.sampled_from(PHRASES),
    st.sampled_from([str, str.upper, str.title, strip_diacritics, nfd, lambda p: nfd(p.upper())]),
)

_resources = itertools.count()


def read_nlu_data() -> TrainingData:
    return RasaYAMLReader().reads(NLU_DATA)


def tokenizer_with(**overrides: Any) -> VietnameseTokenizer:
    return VietnameseTokenizer({**VietnameseTokenizer.get_default_config(), **overrides})


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("fuzz_model_storage"))


@pytest.fixture(scope="module")
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "fuzz")


@pytest.fixture(scope="module")
def tokenizers() -> Dict[str, VietnameseTokenizer]:
    """The default tokenizer and the configs that change lemmas or split tokens further."""
    return {
        "default": tokenizer_with(),
        "keep": tokenizer_with(strip_diacritics=False),
        "spaced": tokenizer_with(lemma_joiner=" "),
        "plain": tokenizer_with(abbreviations=False),
        "pattern": tokenizer_with(token_pattern=r"\w+"),
    }


@pytest.fixture(scope="module")
def whitespace_tokenizer() -> VietnameseTokenizer:
    """A tokenizer whose segmenter only splits at spaces: segmented unlike underthesea does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("underthesea.word_tokenize", lambda text, use_token_normalize=True: text.split())
        return tokenizer_with()


def create_featurizer(
    storage: LocalModelStorage, context: ExecutionContext, **overrides: Any
) -> SyllableCountVectorsFeaturizer:
    config = {**SyllableCountVectorsFeaturizer.get_default_config(), **overrides}
    resource = Resource(f"syllables{next(_resources)}")
    return SyllableCountVectorsFeaturizer.create(config, storage, resource, context)


def train_featurizer(
    featurizer: SyllableCountVectorsFeaturizer, tokenizer: VietnameseTokenizer, data: TrainingData
) -> None:
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)


@pytest.fixture(scope="module")
def featurizers(
    storage: LocalModelStorage, context: ExecutionContext, tokenizers: Dict[str, VietnameseTokenizer]
) -> Dict[str, SyllableCountVectorsFeaturizer]:
    """Trained on the small real data set: syllables, syllable pairs, and character n-grams."""
    configs: Dict[str, Dict[str, Any]] = {
        "word": {},
        "pairs": {"max_ngram": 2},
        "char": {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 3},
    }
    featurizers = {name: create_featurizer(storage, context, **config) for name, config in configs.items()}
    for featurizer in featurizers.values():
        train_featurizer(featurizer, tokenizers["default"], read_nlu_data())
    return featurizers


def create_extractor(
    storage: LocalModelStorage, context: ExecutionContext, **overrides: Any
) -> GazetteerEntityExtractor:
    config = {**GazetteerEntityExtractor.get_default_config(), **overrides}
    return GazetteerEntityExtractor.create(config, storage, Resource(f"gaz{next(_resources)}"), context)


@pytest.fixture(scope="module")
def extractor(storage: LocalModelStorage, context: ExecutionContext) -> GazetteerEntityExtractor:
    extractor = create_extractor(storage, context)
    extractor.train(read_nlu_data())
    return extractor


# --- checks ------------------------------------------------------------------------------------


def tokenize(tokenizer: VietnameseTokenizer, text: str) -> List[Token]:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return message.get(TOKENS_NAMES[TEXT])


def check_tokens(text: str, tokens: Sequence[Token]) -> None:
    """Tokens are spans of ``text``, non-empty, in order and apart, with NFC lower-case lemmas."""
    assert tokens
    whole_text = len(tokens) == 1 and (tokens[0].start, tokens[0].end) == (0, len(text))
    for token in tokens:
        assert 0 <= token.start <= token.end <= len(text)
        assert text[token.start : token.end] == token.text
        # Only the one token of a text without words (as in WhitespaceTokenizer) may be empty
        # ("") or whitespace ("   ").
        if not whole_text:
            assert token.text and token.text == token.text.strip()
        assert token.lemma == nfc(token.lemma) == token.lemma.lower()
    for previous, token in zip(tokens, tokens[1:], strict=False):
        assert previous.end <= token.start


def check_stripped_lemmas(tokens: Sequence[Token]) -> None:
    for token in tokens:
        assert not has_marks(token.lemma) and "đ" not in token.lemma, ascii(token.lemma)


def check_entities(extractor: GazetteerEntityExtractor, text: str, entities: List[Dict[str, Any]]) -> None:
    """Spans of whole pieces of the text that read as a phrase of their entity and value; apart."""
    phrases = {(p.entity, p.value, p.units) for p in extractor.gazetteer.phrases}
    pieces = split_pieces(text)
    starts, ends = {piece.start for piece in pieces}, {piece.end for piece in pieces}
    for entity in entities:
        start, end = entity["start"], entity["end"]
        assert 0 <= start < end <= len(text)
        assert start in starts and end in ends
        span = text[start:end]
        assert (entity["entity"], entity["value"], extractor.gazetteer.phrase_units(span)) in phrases
    for previous, entity in zip(entities, entities[1:], strict=False):
        assert previous["end"] <= entity["start"]


def extract(extractor: GazetteerEntityExtractor, text: str) -> List[Dict[str, Any]]:
    message = Message(data={TEXT: text})
    extractor.process([message])
    return message.get(ENTITIES) or []  # None when the gazetteer is empty: nothing was looked for


# --- tokenizer ---------------------------------------------------------------------------------


@fuzz(400)
@given(HOSTILE)
@always_tried(*REGRESSIONS, "", "   ", "???", "\u0301\u0300 đầu câu")
def test_tokens_point_into_the_text_and_lemmas_are_normalized(
    tokenizers: Dict[str, VietnameseTokenizer], text: str
) -> None:
    tokens = {name: tokenize(tokenizer, text) for name, tokenizer in tokenizers.items()}

    for found in tokens.values():
        check_tokens(text, found)
    for name in ("default", "spaced", "plain", "pattern"):
        check_stripped_lemmas(tokens[name])
    # The tokens do not depend on the lemma options; the lemmas differ only by the options.
    assert [(t.start, t.end) for t in tokens["keep"]] == [(t.start, t.end) for t in tokens["default"]]
    assert [t.lemma for t in tokens["default"]] == [strip_diacritics(t.lemma) for t in tokens["keep"]]


@fuzz(250)
@given(PLAIN)
def test_nfc_and_nfd_give_the_same_tokens(tokenizers: Dict[str, VietnameseTokenizer], text: str) -> None:
    tokenizer = tokenizers["default"]
    composed, decomposed = nfc(text), nfd(text)

    nfc_tokens, nfd_tokens = tokenize(tokenizer, composed), tokenize(tokenizer, decomposed)

    check_tokens(composed, nfc_tokens)
    check_tokens(decomposed, nfd_tokens)
    assert [nfc(t.text) for t in nfd_tokens] == [nfc(t.text) for t in nfc_tokens]
    assert [t.lemma for t in nfd_tokens] == [t.lemma for t in nfc_tokens]


@fuzz(100)
@given(WITH_SURROGATES)
@always_tried("a \ud800 b", "\udfff")
def test_lone_surrogates_are_separators(tokenizers: Dict[str, VietnameseTokenizer], text: str) -> None:
    tokens = tokenize(tokenizers["default"], text)

    check_tokens(text, tokens)
    # Like spaces: inside a word of several syllables ("tài\ud800khoản") but never at its ends,
    # and never in a lemma, which is made of the syllables alone.
    if tokens[0].text != text:  # not the one token of a text without words, which is all of it
        for token in tokens:
            assert not any(unicodedata.category(ch) == "Cs" for ch in token.text[0] + token.text[-1])
            assert not any(unicodedata.category(ch) == "Cs" for ch in token.lemma)


@fuzz(3)
@given(LONG)
@always_tried(LONG_VIETNAMESE)
def test_long_texts(tokenizers: Dict[str, VietnameseTokenizer], text: str) -> None:
    tokens = tokenize(tokenizers["default"], text)

    check_tokens(text, tokens)
    check_stripped_lemmas(tokens)


@fuzz(40)
@given(st.lists(st.tuples(HOSTILE, st.sampled_from(["greet", "ask_procedure", "a_b_c"])), max_size=6))
def test_training_data_is_tokenized(
    tokenizers: Dict[str, VietnameseTokenizer], examples: List[Tuple[str, str]]
) -> None:
    data = TrainingData([Message(data={TEXT: text, INTENT: intent}) for text, intent in examples])

    tokenizers["default"].process_training_data(data)

    for message in data.training_examples:
        if message.get(TEXT):  # Rasa's tokenizers leave an empty text without tokens
            check_tokens(message.get(TEXT), message.get(TOKENS_NAMES[TEXT]))
        assert [t.text for t in message.get(TOKENS_NAMES[INTENT])] == [message.get(INTENT)]


# --- normalization -----------------------------------------------------------------------------

TONES = "\u0300\u0301\u0303\u0309\u0323"
# Toneless syllables with a tone mark put after any of their letters: misplaced marks included.
SYLLABLES = st.builds(
    lambda syllable, tone, position, form: form(
        nfc(nfd(syllable)[:position] + tone + nfd(syllable)[position:])
    ),
    st.sampled_from("hoa thuy khoe uy tuy hoang toan hoach ngoai khuyu nguoi ruou quy qua gia giua".split()),
    st.sampled_from(TONES),
    st.integers(1, 6),
    st.sampled_from([str, str.upper, nfd]),
)


def without_tones(text: str) -> Tuple[str, List[str]]:
    decomposed = nfd(text)
    return nfc("".join(ch for ch in decomposed if ch not in TONES)), sorted(
        ch for ch in decomposed if ch in TONES
    )


@fuzz(400)
@given(st.one_of(HOSTILE, SYLLABLES, st.lists(SYLLABLES, max_size=5).map(" ".join)))
@always_tried("a\u01f9\u0300", "hoa\u0300\u0301", "\u1100\u0301\u1161")
def test_normalize_tone_marks_only_moves_tone_marks(text: str) -> None:
    normalized = normalize_tone_marks(text)

    assert normalized == nfc(normalized)
    assert normalize_tone_marks(normalized) == normalized
    assert without_tones(normalized) == without_tones(text)


@fuzz(300)
@given(st.one_of(HOSTILE, SYLLABLES))
def test_normalize_piece_is_nfc_lower_case_and_idempotent(text: str) -> None:
    normalized = normalize_piece(text)

    assert normalized == nfc(normalized) == normalized.lower()
    assert normalize_piece(normalized) == normalized


@fuzz(300)
@given(HOSTILE)
def test_strip_diacritics_and_fold(text: str) -> None:
    stripped, folded = strip_diacritics(text), fold(text)

    assert stripped == nfc(stripped) and not has_marks(stripped) and not set("đĐ") & set(stripped)
    assert strip_diacritics(stripped) == stripped
    assert folded == nfc(folded) and not has_marks(folded)
    assert fold(folded) == folded == fold(nfd(text))


@fuzz(200)
@given(st.one_of(HOSTILE, WITH_SURROGATES), st.lists(st.text(CHARACTER, max_size=6), max_size=10))
def test_pieces_and_words_partition_the_text(text: str, words: List[str]) -> None:
    pieces = split_pieces(text)

    covered = [i for piece in pieces for i in range(piece.start, piece.end)]
    assert covered == sorted(set(covered))  # in order, apart, never empty
    assert all(piece.start < piece.end for piece in pieces)
    assert all(piece.normalized == normalize_piece(text[piece.start : piece.end]) for piece in pieces)
    # what is left out is whitespace, control and format characters (and lone surrogates)
    left_out = set(range(len(text))) - set(covered)
    assert all(text[i].isspace() or unicodedata.category(text[i]) in ("Cc", "Cf", "Cs") for i in left_out)

    # Whatever the segmenter answers, the words are whole pieces, in order, each piece in one word.
    found = segment(text, lambda _: words)
    assert [(p.start, p.end) for p in pieces] == [
        (p.start, p.end) for word in found for p in pieces if word.start <= p.start < word.end
    ]
    assert all(word.start < word.end and word.syllables for word in found)


@fuzz(300)
@given(st.lists(st.text(st.sampled_from("abcàđ!.\u0301 "), min_size=1, max_size=4), max_size=10), st.data())
def test_align_words_partitions_the_pieces(pieces: List[str], data: st.DataObject) -> None:
    stream = "".join(pieces)
    words = data.draw(
        st.one_of(
            st.lists(st.text(st.sampled_from("abcàđ!.\u0301 AX"), max_size=5), max_size=12),
            # the segmenter's usual answer: the stream cut into words, some of them changed
            st.lists(st.integers(1, 4), max_size=12).map(lambda cuts: list(_cut(stream, cuts))),
        )
    )

    spans = align_words(pieces, words)

    assert [k for first, last in spans for k in range(first, last)] == list(range(len(pieces)))
    assert all(first < last for first, last in spans)


def _cut(stream: str, sizes: List[int]) -> Iterator[str]:
    i = 0
    for size in sizes:
        yield stream[i : i + size]
        i += size
    yield stream[i:]


# --- abbreviations -----------------------------------------------------------------------------


@fuzz(300)
@given(st.one_of(HOSTILE, st.sampled_from(["dk", "ĐK", "Dky", "cccd", "CMND", "sđt", "j", nfd("đk")])))
def test_abbreviations_expand_only_unmarked_words(word: str) -> None:
    expansion = load_abbreviations().expand(word)

    if has_marks(word):
        assert expansion is None
    if expansion is not None:
        assert expansion and all(syllable == normalize_piece(syllable) for syllable in expansion)
        assert expansion == load_abbreviations().expand(fold(word))


RUNS = st.sampled_from(
    ["dk", "đk", "ĐK", "tk", "mk", "ntn", "cccd", "e", "j", "k", "mail", "tạm", "trú", "vneid", "2", "hỏng"]
)


@fuzz(200)
@given(RUNS, st.sampled_from(".-/:,_@"), RUNS)
@example("dk", "", "")
@example("hỏng", "", "")
@example("đk", ".", "tạm")
@example("tk", "/", "mk")
@example("e", "-", "mail")
@example("vneid", ".", "gov.vn")
def test_abbreviations_are_expanded_within_glued_words(left: str, glue: str, right: str) -> None:
    # An abbreviation counts the same alone and glued to punctuation, as in the gazetteer.
    abbreviations = load_abbreviations()
    word = normalize_piece(left + glue + right)
    alone = [abbreviations.expand_within(normalize_piece(part)) for part in (left, right) if part]

    glued = abbreviations.expand_within(word)

    if not glue:
        assert glued == (abbreviations.expand(word) or (word,))
    else:
        (*head, last), (first, *tail) = alone
        assert glued == (*head, last + glue + first, *tail)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(CHARACTER, max_size=10) | HOSTILE,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(CHARACTER, max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
ABBREVIATION_FILES = st.one_of(
    YAML_VALUES,
    st.fixed_dictionaries(
        {
            "expansions": st.dictionaries(
                HOSTILE, st.lists(st.one_of(HOSTILE, YAML_VALUES), max_size=3), max_size=4
            )
        },
        optional={"keep": st.one_of(st.lists(HOSTILE, max_size=3), YAML_VALUES)},
    ),
)


@fuzz(200)
@given(ABBREVIATION_FILES)
def test_a_broken_abbreviation_file_is_a_value_error_naming_the_file(content: Any) -> None:
    try:
        abbreviations = parse_abbreviations(content, source="broken.yml")
    except ValueError as error:
        assert str(error).startswith("broken.yml: ")
    else:
        assert all(key == fold(key) for key in abbreviations.expansions)


# --- syllable count-vectors featurizer ---------------------------------------------------------


def features(
    featurizer: SyllableCountVectorsFeaturizer, text: str, tokens: List[Token]
) -> Tuple[np.ndarray, np.ndarray]:
    """The (sequence, sentence) features of a message with ``tokens``, as arrays."""
    message = Message(data={TEXT: text, TOKENS_NAMES[TEXT]: tokens})
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features(TEXT)
    return sequence.features.toarray(), sentence.features.toarray()


@fuzz(200)
@given(HOSTILE)
def test_features_have_one_row_per_token(
    tokenizers: Dict[str, VietnameseTokenizer],
    featurizers: Dict[str, SyllableCountVectorsFeaturizer],
    text: str,
) -> None:
    tokens = tokenize(tokenizers["default"], text)

    for name, featurizer in featurizers.items():
        sequence, sentence = features(featurizer, text, tokens)

        size = len(featurizer.vectorizers[TEXT].vocabulary_)
        assert sequence.shape == (len(tokens), size)
        assert sentence.shape == (1, size)
        if name != "pairs":  # without n-grams across tokens, the sentence is the sum of its tokens
            assert (sentence[0] == sequence.sum(axis=0)).all()


@fuzz(120)
@given(HOSTILE)
# ":NTN" and "dk.tam" found that an abbreviation glued to punctuation was not expanded.
@always_tried(":NTN", "lam sao dk.tam tru", "kích hoạt tài khoản thế nào?", "tai_khoan vneid.gov.vn, 1900")
def test_sentence_features_do_not_depend_on_the_segmentation(
    tokenizers: Dict[str, VietnameseTokenizer],
    whitespace_tokenizer: VietnameseTokenizer,
    featurizers: Dict[str, SyllableCountVectorsFeaturizer],
    text: str,
) -> None:
    # The featurizer's promise: syllables count the same whatever underthesea makes of them.
    segmented, spaced = tokenize(tokenizers["default"], text), tokenize(whitespace_tokenizer, text)

    for name in ("word", "pairs"):
        featurizer = featurizers[name]
        assert (features(featurizer, text, segmented)[1] == features(featurizer, text, spaced)[1]).all()


@fuzz(20)
@given(st.lists(HOSTILE, min_size=1, max_size=6), HOSTILE)
def test_featurizer_trains_on_hostile_examples(
    storage: LocalModelStorage,
    context: ExecutionContext,
    tokenizers: Dict[str, VietnameseTokenizer],
    texts: List[str],
    text: str,
) -> None:
    # Added to the real data: like Rasa's own CountVectorsFeaturizer, it cannot train on data
    # without a single word (sklearn finds no vocabulary).
    for config in ({}, {"analyzer": "char_wb", "max_ngram": 2}):
        data = read_nlu_data()
        data = TrainingData(
            [*data.training_examples, *(Message(data={TEXT: t, INTENT: "ask"}) for t in texts)]
        )
        featurizer = create_featurizer(storage, context, **config)
        train_featurizer(featurizer, tokenizers["default"], data)
        tokens = tokenize(tokenizers["default"], text)

        sequence, sentence = features(featurizer, text, tokens)

        size = len(featurizer.vectorizers[TEXT].vocabulary_)
        assert sequence.shape == (len(tokens), size)
        assert sentence.shape == (1, size)


# --- gazetteer entity extractor ----------------------------------------------------------------

TEXT_WITH_PHRASES = st.lists(st.one_of(PHRASE_FORMS, HOSTILE, st.sampled_from(SEPARATORS)), max_size=10).map(
    "".join
)


@fuzz(400)
@given(st.one_of(HOSTILE, TEXT_WITH_PHRASES))
@always_tried("Tôi muốn đăng ký tạm trú ở Hà Nội", "mức 20, mức2, xHà Nội")
def test_entities_are_whole_phrases_of_the_text(extractor: GazetteerEntityExtractor, text: str) -> None:
    entities = extract(extractor, text)

    check_entities(extractor, text, entities)
    assert all(e["extractor"] == "GazetteerEntityExtractor" for e in entities)
    # NFC or NFD, the same entities with the same values
    found = [(e["entity"], e["value"]) for e in entities]
    assert [(e["entity"], e["value"]) for e in extract(extractor, nfd(text))] == found
    assert [(e["entity"], e["value"]) for e in extract(extractor, nfc(text))] == found


@fuzz(300)
@given(HOSTILE, PHRASE_FORMS, HOSTILE, st.sampled_from([" ", "\t", "\n", "\u3000", "\u200b", "\x00"]))
def test_a_phrase_between_separators_is_found(
    extractor: GazetteerEntityExtractor, left: str, phrase: str, right: str, separator: str
) -> None:
    start = len(left + separator)
    text = left + separator + phrase + separator + right

    entities = extract(extractor, text)

    check_entities(extractor, text, entities)
    # It is an entity, or part of a longer one.
    assert any(e["start"] < start + len(phrase) and start < e["end"] for e in entities)


@fuzz(60)
@given(
    st.lists(HOSTILE, min_size=1, max_size=8),
    st.dictionaries(HOSTILE, st.one_of(HOSTILE, st.integers()), max_size=4),
    st.sampled_from([{}, {"min_length": 1}, {"abbreviations": False}]),
)
def test_every_hostile_lookup_element_is_found_in_its_own_text(
    storage: LocalModelStorage,
    context: ExecutionContext,
    elements: List[str],
    synonyms: Dict[str, Any],
    config: Dict[str, Any],
) -> None:
    extractor = create_extractor(storage, context, **config)
    data = TrainingData(lookup_tables=[{"name": "thing", "elements": elements}], entity_synonyms=synonyms)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no lookup table elements", "read alike"
        extractor.train(data)

    added = {phrase.units for phrase in extractor.gazetteer.phrases}
    for element in elements:
        entities = extract(extractor, element)
        check_entities(extractor, element, entities)
        units, spans, _ = extractor.gazetteer.units(element)
        if tuple(units) in added:  # the whole element, not a part of it
            assert (entities[0]["start"], entities[0]["end"]) == (spans[0][0], spans[-1][1])


@fuzz(3)
@given(
    st.one_of(LONG, st.lists(st.one_of(PHRASE_FORMS, MIXED), min_size=1).map(" ".join).map(lambda t: t * 400))
)
@always_tried(LONG_VIETNAMESE)
def test_long_texts_for_the_gazetteer(extractor: GazetteerEntityExtractor, text: str) -> None:
    check_entities(extractor, text, extract(extractor, text))


# --- diacritic-free augmenter ------------------------------------------------------------------


ENTITY_AB = {"start": 3, "end": 5, "value": "ab", "entity": "thing"}


@st.composite
def intent_examples(draw: st.DrawFn) -> Message:
    text = draw(st.one_of(HOSTILE, VIETNAMESE, TEXT_WITH_PHRASES))
    data: Dict[str, Any] = {TEXT: text, INTENT: draw(st.sampled_from(["ask", "greet", "thank"]))}
    entities = []
    for _ in range(draw(st.integers(0, 2)) if text else 0):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        entities.append({"start": start, "end": end, "value": text[start:end], "entity": "thing"})
    if entities:
        data[ENTITIES] = entities
    return Message(data=data)


@fuzz(300)
@given(st.lists(intent_examples(), max_size=8))
# Found by reasoning, not by the search: outside NFC, "e\u0301" loses a character and "\u0f43"
# gains one, so the text keeps its length while "ab" between them moves.
@example([Message(data={TEXT: "e\u0301 ab \u0f43", INTENT: "ask", ENTITIES: [ENTITY_AB]})])
def test_copies_are_diacritic_free_and_keep_labels_and_offsets(examples: List[Message]) -> None:
    data = TrainingData(examples)
    originals = data.intent_examples

    copies = DiacriticFreeAugmenter(DiacriticFreeAugmenter.get_default_config()).copies(data)

    texts = [copy.get(TEXT) for copy in copies]
    assert len(set(texts)) == len(texts)  # no text gets two labels
    assert not set(texts) & {original.get(TEXT) for original in originals}
    for copy in copies:
        text = copy.get(TEXT)
        assert not has_marks(text) and not set("đĐ") & set(text)
        # the copy of an original with the same intent and entities ...
        [original, *_] = [
            o
            for o in originals
            if strip_diacritics(o.get(TEXT)) == text
            and (o.get(INTENT), o.get(ENTITIES)) == (copy.get(INTENT), copy.get(ENTITIES))
        ]
        # ... whose entities still point at their words, without diacritics
        for entity in copy.get(ENTITIES) or []:
            start, end = entity["start"], entity["end"]
            assert text[start:end] == strip_diacritics(original.get(TEXT)[start:end])


@fuzz(20)
@given(st.lists(intent_examples(), min_size=1, max_size=6))
def test_the_training_path_takes_hostile_data(
    storage: LocalModelStorage,
    context: ExecutionContext,
    tokenizers: Dict[str, VietnameseTokenizer],
    examples: List[Message],
) -> None:
    # augmenter -> tokenizer -> featurizer -> gazetteer, as in config.yml
    training_data = read_nlu_data()
    data = TrainingData(
        training_examples=[*training_data.training_examples, *examples],
        lookup_tables=training_data.lookup_tables,
        entity_synonyms=training_data.entity_synonyms,
    )

    data = DiacriticFreeAugmenter(DiacriticFreeAugmenter.get_default_config()).process_training_data(data)
    tokenizers["default"].process_training_data(data)
    featurizer = create_featurizer(storage, context)
    featurizer.train(data)
    featurizer.process_training_data(data)
    extractor = create_extractor(storage, context)
    extractor.train(data)
    extractor.process(data.training_examples)

    for message in data.intent_examples:
        if message.get(TEXT):  # Rasa's tokenizers leave an empty text without tokens
            check_tokens(message.get(TEXT), message.get(TOKENS_NAMES[TEXT]))
            assert all(message.get_sparse_features(TEXT))
