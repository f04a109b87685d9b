from __future__ import annotations

import asyncio
import textwrap
import unicodedata
import warnings
from pathlib import Path
from typing import Any, Callable, List, Tuple

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer

CreateTokenizer = Callable[..., VietnameseTokenizer]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def tokenize(tokenizer: VietnameseTokenizer, text: str) -> List[Token]:
    return tokenizer.tokenize(Message(data={TEXT: text}), attribute=TEXT)


def lemmas(tokenizer: VietnameseTokenizer, text: str) -> List[str]:
    return [token.lemma for token in tokenize(tokenizer, text)]


@pytest.mark.parametrize(
    "text, expected_tokens, expected_indices",
    [
        (
            "Làm sao để kích hoạt tài khoản định danh điện tử?",
            ["Làm sao", "để", "kích hoạt tài khoản", "định danh", "điện tử"],
            [(0, 7), (8, 10), (11, 30), (31, 40), (41, 48)],
        ),
        (
            "lam sao kich hoat tai khoan dinh danh dien tu",
            ["lam", "sao", "kich", "hoat", "tai khoan", "dinh danh", "dien", "tu"],
            [(0, 3), (4, 7), (8, 12), (13, 17), (18, 27), (28, 37), (38, 42), (43, 45)],
        ),
        ("KÍCH HOẠT Tài Khoản", ["KÍCH HOẠT Tài Khoản"], [(0, 19)]),
        ("  tài   khoản  ", ["tài   khoản"], [(2, 13)]),
        # NFD: "Tài" is T a ̀ i (4 characters), "khoản" is k h o a ̉ n (6)
        (nfd("Tài khoản"), [nfd("Tài khoản")], [(0, 11)]),
        ("hoà bình", ["hoà", "bình"], [(0, 3), (4, 8)]),
        # punctuation on its own is dropped, punctuation inside a word is kept
        ("tiếp!!!", ["tiếp"], [(0, 4)]),
        ("vneid,cccd", ["vneid", "cccd"], [(0, 5), (6, 10)]),
        (
            "Đăng ký thường trú ở đâu?",
            ["Đăng ký", "thường trú", "ở", "đâu"],
            [(0, 7), (8, 18), (19, 20), (21, 24)],
        ),
        ("vào vneid.gov.vn nhé", ["vào", "vneid.gov.vn", "nhé"], [(0, 3), (4, 16), (17, 20)]),
        # emoji are kept
        ("cảm ơn 👍", ["cảm ơn", "👍"], [(0, 6), (7, 8)]),
        ("👍🏽", ["👍🏽"], [(0, 2)]),
        # digits
        ("1900 0368", ["1900", "0368"], [(0, 4), (5, 9)]),
        ("mức 2", ["mức", "2"], [(0, 3), (4, 5)]),
        # nothing left: the whole text is the one token, as in WhitespaceTokenizer
        ("", [""], [(0, 0)]),
        ("   ", ["   "], [(0, 3)]),
        ("???", ["???"], [(0, 3)]),
    ],
)
def test_tokens_and_offsets(
    tokenizer: VietnameseTokenizer,
    text: str,
    expected_tokens: List[str],
    expected_indices: List[Tuple[int, int]],
) -> None:
    tokens = tokenize(tokenizer, text)

    assert [t.text for t in tokens] == expected_tokens
    assert [t.start for t in tokens] == [i[0] for i in expected_indices]
    assert [t.end for t in tokens] == [i[1] for i in expected_indices]


def test_nfd_sentence_gives_the_nfc_words_and_lemmas(tokenizer: VietnameseTokenizer) -> None:
    text = "Làm sao để kích hoạt tài khoản định danh điện tử?"

    nfc_tokens = tokenize(tokenizer, text)
    nfd_tokens = tokenize(tokenizer, nfd(text))

    assert [t.text for t in nfd_tokens] == [nfd(t.text) for t in nfc_tokens]
    assert [t.lemma for t in nfd_tokens] == [t.lemma for t in nfc_tokens]
    assert all(nfd(text)[t.start : t.end] == t.text for t in nfd_tokens)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a mark with nothing to sit on strips to nothing; Token() would have put the raw mark there
        ("\u0301", [("\u0301", "")]),
        ("\u0301\u0300 ok", [("\u0301\u0300", ""), ("ok", "ok")]),
        # the whole-text token of a text without words is normalised too
        ("?\u0300", [("?\u0300", "?")]),
        ("?\u0bc6\u0bbe", [("?\u0bc6\u0bbe", "?\u0bca")]),
    ],
)
def test_lemmas_are_nfc_and_diacritic_free_even_for_stray_marks(
    tokenizer: VietnameseTokenizer, text: str, expected: List[Tuple[str, str]]
) -> None:
    assert [(t.text, t.lemma) for t in tokenize(tokenizer, text)] == expected


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "???", "..."])
def test_text_without_words_is_tokenized_like_whitespace_tokenizer(
    tokenizer: VietnameseTokenizer, text: str
) -> None:
    whitespace = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())

    expected = whitespace.tokenize(Message(data={TEXT: text}), attribute=TEXT)

    assert [(t.text, t.start, t.end) for t in tokenize(tokenizer, text)] == [
        (t.text, t.start, t.end) for t in expected
    ]


NAUGHTY_STRINGS = [
    nfd("Làm sao để kích hoạt tài khoản định danh điện tử?"),
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ tài khoản",  # stacked combining marks
    "\u0301\u0300 đầu câu là dấu",  # marks with no base
    "مرحبا بالعالم كيف حالك",  # Arabic, right to left
    "שָׁלוֹם עֲלֵיכֶם",  # Hebrew with points
    "\u202eđăng ký\u202c tài khoản",  # right-to-left override
    "tài\u200bkhoản\u200c\u200d\ufeffvneid\u00adcccd",  # zero-width and invisible characters
    "\u200d\u200dtài khoản\u200d",  # joiners with nothing to join
    # emoji sequences: family (ZWJ), skin tone, flag pair, subdivision flag (tags)
    "👨\u200d👩\u200d👧\u200d👦 gia đình 👍🏽🇻🇳"
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "İstanbul ẞ ﬁ ｔài ｋhoản ①②",  # case mappings and compatibility forms
    "हिन्दी और tiếng Việt",  # spacing marks
    "a \ud800 b",  # a lone surrogate, as JSON can deliver
    "\x00\x1f tài\r\nkhoản\x7f",
    "tai_khoan e-mail a@b.com 10.000.000đ 02/05/2024 03-5730-2357 :) <3 =))",
    "\xa0\u2003\u3000tài khoản\u2028\u2029",
    "Làm sao để kích hoạt tài khoản định danh điện tử? " * 400,  # very long
]


@pytest.mark.parametrize("text", NAUGHTY_STRINGS)
def test_offsets_point_into_the_original_text(tokenizer: VietnameseTokenizer, text: str) -> None:
    tokens = tokenize(tokenizer, text)

    assert tokens
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.start < token.end
        assert token.text == token.text.strip()
    for previous, token in zip(tokens, tokens[1:], strict=False):
        assert previous.end <= token.start


def test_long_text_keeps_the_words_of_each_sentence(tokenizer: VietnameseTokenizer) -> None:
    sentence = "Làm sao để kích hoạt tài khoản định danh điện tử? "

    tokens = tokenize(tokenizer, sentence * 50)

    assert [t.lemma for t in tokens] == lemmas(tokenizer, sentence) * 50


@pytest.fixture
def pairwise_segmenter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace underthesea's segmenter by one that joins syllables in pairs, accents or not."""

    def word_tokenize(text: str, use_token_normalize: bool = True) -> List[str]:
        syllables = text.split()
        return [" ".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2)]

    monkeypatch.setattr("underthesea.word_tokenize", word_tokenize)


@pytest.mark.usefixtures("pairwise_segmenter")
def test_lemmas_without_diacritics_match_when_segmented_alike(create_tokenizer: CreateTokenizer) -> None:
    strip, keep = create_tokenizer(), create_tokenizer(strip_diacritics=False)

    assert (
        lemmas(strip, "Tài Khoản định danh")
        == lemmas(strip, "tai khoan dinh danh")
        == ["tai_khoan", "dinh_danh"]
    )
    assert lemmas(keep, "Tài Khoản định danh") == ["tài_khoản", "định_danh"]
    assert lemmas(keep, "tai khoan dinh danh") == ["tai_khoan", "dinh_danh"]
    assert lemmas(create_tokenizer(lemma_joiner=" "), "Tài Khoản") == ["tai khoan"]


def test_lemmas_of_accented_and_unaccented_sentences(create_tokenizer: CreateTokenizer) -> None:
    # With the real segmenter the words only partly agree: underthesea segments text
    # without diacritics differently ("kích hoạt tài khoản" is one word, "kich hoat
    # tai khoan" three). The syllables always agree.
    strip = create_tokenizer()
    accented = lemmas(strip, "Làm sao để kích hoạt tài khoản định danh điện tử?")
    unaccented = lemmas(strip, "lam sao de kich hoat tai khoan dinh danh dien tu")

    assert accented == ["lam_sao", "de", "kich_hoat_tai_khoan", "dinh_danh", "dien_tu"]
    assert unaccented == ["lam", "sao", "de", "kich", "hoat", "tai_khoan", "dinh_danh", "dien", "tu"]
    assert "_".join(accented).split("_") == "_".join(unaccented).split("_")


def test_lemmas_keep_diacritics_when_asked(create_tokenizer: CreateTokenizer) -> None:
    keep, strip = create_tokenizer(strip_diacritics=False), create_tokenizer()

    assert lemmas(keep, "Tài Khoản") == ["tài_khoản"]
    assert lemmas(strip, "Tài Khoản") == ["tai_khoan"]
    assert lemmas(keep, "đăng") == ["đăng"]
    assert lemmas(strip, "đăng") == ["dang"]


@pytest.mark.parametrize(
    "old_style, new_style",
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("HOÀ BÌNH", "hòa bình"), (nfd("Khoẻ"), "khỏe")],
)
def test_tone_mark_styles_give_one_lemma(
    create_tokenizer: CreateTokenizer, old_style: str, new_style: str
) -> None:
    keep = create_tokenizer(strip_diacritics=False)

    assert lemmas(keep, old_style) == lemmas(keep, new_style)
    assert "".join(lemmas(keep, new_style)) == new_style.replace(" ", "")


def test_sentence_syllables_match_whatever_the_segmentation_with_a_space_joiner(
    create_tokenizer: CreateTokenizer,
) -> None:
    tokenizer = create_tokenizer(lemma_joiner=" ")
    accented = "Làm sao để kích hoạt tài khoản định danh điện tử?"

    assert (
        " ".join(lemmas(tokenizer, accented)).split()
        == "lam sao de kich hoat tai khoan dinh danh dien tu".split()
    )
    assert " ".join(lemmas(tokenizer, accented)) == " ".join(
        lemmas(tokenizer, "lam sao de kich hoat tai khoan dinh danh dien tu")
    )


def _entity_example(text: str, value: str) -> Message:
    start = text.index(value)
    entity = {"start": start, "end": start + len(value), "value": value, "entity": "place"}
    return Message(data={TEXT: text, INTENT: "ask_address", ENTITIES: [entity]})


@pytest.mark.parametrize(
    "text, value",
    [
        ("tôi muốn đăng ký thường trú ở Hà Nội", "Hà Nội"),
        ("đăng ký tài khoản định danh mức 2 ở đâu", "mức 2"),
        ("cách đăng ký VNeID mức 1 trên điện thoại", "VNeID"),
    ],
)
def test_entities_on_word_boundaries_stay_aligned(
    tokenizer: VietnameseTokenizer, text: str, value: str
) -> None:
    training_data = TrainingData([_entity_example(text, value)])

    tokenizer.process_training_data(training_data)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        EntityExtractorMixin.check_correct_entity_annotations(training_data)


def test_misaligned_entity_is_reported(tokenizer: VietnameseTokenizer) -> None:
    # The control for the test above: half a word is not a token boundary.
    training_data = TrainingData([_entity_example("tôi muốn đăng ký thường trú ở Hà Nội", "Hà N")])

    tokenizer.process_training_data(training_data)

    with pytest.warns(UserWarning, match="Misaligned entity annotation"):
        EntityExtractorMixin.check_correct_entity_annotations(training_data)


def test_without_word_segmentation_every_syllable_is_a_token(create_tokenizer: CreateTokenizer) -> None:
    # For data whose entities end inside underthesea's words (PhoATIS: "Hà Nội" may be tagged
    # "Hà" + "Nội" apart): any syllable boundary is then a token boundary.
    syllables = create_tokenizer(segment_words=False)
    text = "Vé đi Hà Nội, giá rẻ?"
    tokens = syllables.tokenize(Message(data={TEXT: text}), TEXT)
    assert [t.text for t in tokens] == ["Vé", "đi", "Hà", "Nội", "giá", "rẻ"]
    assert [text[t.start : t.end] for t in tokens] == [t.text for t in tokens]
    assert [t.lemma for t in tokens] == ["ve", "di", "ha", "noi", "gia", "re"]
    words = create_tokenizer().tokenize(Message(data={TEXT: text}), TEXT)
    assert "Hà Nội" in [t.text for t in words]  # the control: segmented, it is one token


@pytest.mark.parametrize(
    "key, value",
    [
        ("segment_words", "no"),
        ("strip_diacritics", "yes"),
        ("abbreviations", "yes"),
        ("lemma_joiner", ""),
        ("lemma_joiner", None),
        ("intent_tokenization_flag", 1),
        ("intent_split_symbol", ""),
        ("token_pattern", "(unclosed"),
        ("prefix_separator_symbol", 3),
    ],
)
def test_validate_config_rejects_bad_values(create_tokenizer: CreateTokenizer, key: str, value: Any) -> None:
    with pytest.raises(ValueError, match=f"VietnameseTokenizer: '{key}'"):
        create_tokenizer(**{key: value})


def test_defaults_are_valid() -> None:
    VietnameseTokenizer.validate_config(VietnameseTokenizer.get_default_config())
    assert VietnameseTokenizer.required_packages() == ["underthesea"]


def test_token_pattern_splits_words_like_other_tokenizers(create_tokenizer: CreateTokenizer) -> None:
    tokens = tokenize(create_tokenizer(token_pattern=r"\w+"), "kích hoạt tài khoản")

    assert [(t.text, t.start, t.end) for t in tokens] == [
        ("kích", 0, 4),
        ("hoạt", 5, 9),
        ("tài", 10, 13),
        ("khoản", 14, 19),
    ]


def _count_vectors_vocabulary(tokenizer: VietnameseTokenizer, texts: List[str], tmp_path: Path) -> List[str]:
    tmp_path.mkdir()
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("count_vectors"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    training_data = TrainingData([Message(data={TEXT: text, INTENT: "greet"}) for text in texts])
    tokenizer.process_training_data(training_data)
    featurizer.train(training_data)
    return sorted(featurizer.vectorizers[TEXT].vocabulary_)


def test_count_vectors_featurizer_keeps_joined_lemmas_whole(
    create_tokenizer: CreateTokenizer, tmp_path: Path
) -> None:
    texts = ["kích hoạt tài khoản thế nào", "cảm ơn 👍", "gọi 1900 0368"]

    assert _count_vectors_vocabulary(create_tokenizer(), texts, tmp_path / "joined") == [
        "__number__",
        "cam_on",
        "goi",
        "kich_hoat_tai_khoan",
        "the_nao",
    ]
    assert _count_vectors_vocabulary(create_tokenizer(lemma_joiner=" "), texts, tmp_path / "spaced") == [
        "__number__",
        "cam",
        "goi",
        "hoat",
        "khoan",
        "kich",
        "nao",
        "on",
        "tai",
        "the",
    ]


SMOKE_CONFIG = """\
recipe: default.v1
language: vi
assistant_id: vietnamese_tokenizer_smoke_test
pipeline:
  - name: bot.nlu.vietnamese_tokenizer.VietnameseTokenizer
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
    epochs: 1
    constrain_similarities: true
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
    - cảm ơn nhiều!!!
"""


@pytest.mark.slow
def test_smoke_training_and_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    # Rasa caches trained components under ./.rasa by default: keep the repository clean.
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    config, nlu = tmp_path / "config.yml", tmp_path / "nlu.yml"
    config.write_text(SMOKE_CONFIG, encoding="utf-8")
    nlu.write_text(textwrap.dedent(SMOKE_NLU), encoding="utf-8")

    model = train_nlu(str(config), str(nlu), str(tmp_path / "models"))

    assert model is not None
    parsed = asyncio.run(Agent.load(model).parse_message(nfd("Kích hoạt tài khoản thế nào?")))
    assert parsed["text"] == nfd("Kích hoạt tài khoản thế nào?")
    assert parsed["intent"]["name"] in {"activate_account", "thank"}


def test_tokens_are_stored_on_the_message(tokenizer: VietnameseTokenizer) -> None:
    message = Message(data={TEXT: "cảm ơn 👍"})

    tokenizer.process([message])

    assert [t.lemma for t in message.get(TOKENS_NAMES[TEXT])] == ["cam_on", "👍"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # (token text, lemma): the text and offsets stay what the user typed
        ("dk tam tru o dau", [("dk", "dang_ky"), ("tam tru", "tam_tru"), ("o", "o"), ("dau", "dau")]),
        ("ĐK CCCD ntn", [("ĐK", "dang_ky"), ("CCCD", "can_cuoc_cong_dan"), ("ntn", "nhu_the_nao")]),
        ("ko dc thi sao", [("ko", "khong"), ("dc", "duoc"), ("thi", "thi"), ("sao", "sao")]),
        ("quen mk vneid", [("quen", "quen"), ("mk", "mat_khau"), ("vneid", "vneid")]),
        ("sđt bn vay", [("sđt", "so_dien_thoai"), ("bn", "bao_nhieu"), ("vay", "vay")]),
        (
            "tk dvc bi khoa r",
            [("tk", "tai_khoan"), ("dvc", "dich_vu_cong"), ("bi khoa", "bi_khoa"), ("r", "roi")],
        ),
        # underthesea glues abbreviations to their neighbours: each syllable is expanded
        ("lam gplx can j", [("lam", "lam"), ("gplx can", "giay_phep_lai_xe_can"), ("j", "gi")]),
        ("cho e hoi", [("cho", "cho"), ("e hoi", "em_hoi")]),
        # ... or to punctuation ("dk.tam" is one word, "đk" "." "tạm" three): each run is expanded
        ("lam sao dk.tam tru", [("lam", "lam"), ("sao", "sao"), ("dk.tam", "dang_ky.tam"), ("tru", "tru")]),
        # words typed with marks, and ambiguous ones, are left alone
        ("cảm ơn ạ", [("cảm ơn", "cam_on"), ("ạ", "a")]),
        ("the cccd bi hong", [("the", "the"), ("cccd", "can_cuoc_cong_dan"), ("bi hong", "bi_hong")]),
        ("thẻ bị hỏng", [("thẻ", "the"), ("bị", "bi"), ("hỏng", "hong")]),
    ],
)
def test_abbreviations_get_the_lemma_of_their_full_form(
    tokenizer: VietnameseTokenizer, text: str, expected: List[Tuple[str, str]]
) -> None:
    tokens = tokenize(tokenizer, text)

    assert [(t.text, t.lemma) for t in tokens] == expected
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_abbreviations_follow_the_lemma_options(create_tokenizer: CreateTokenizer) -> None:
    assert lemmas(create_tokenizer(abbreviations=False), "dk cccd") == ["dk", "cccd"]
    assert lemmas(create_tokenizer(lemma_joiner=" "), "dk cccd") == ["dang ky", "can cuoc cong dan"]
    # with diacritics kept, the full form has them too, like the accented words it stands for
    keep = create_tokenizer(strip_diacritics=False)
    assert lemmas(keep, "dk") == lemmas(keep, "đăng ký") == ["đăng_ký"]
    assert lemmas(keep, "khong") == ["không"]


def test_abbreviation_and_full_form_give_the_same_count_vectors_words(
    create_tokenizer: CreateTokenizer, tmp_path: Path
) -> None:
    vocabulary = _count_vectors_vocabulary(
        create_tokenizer(lemma_joiner=" "), ["dk tk vneid"], tmp_path / "abbr"
    )

    assert vocabulary == ["dang", "khoan", "ky", "tai", "vneid"]
