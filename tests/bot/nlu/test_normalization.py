from __future__ import annotations

import random
import unicodedata
from typing import List, Sequence, Tuple

import pytest

from bot.nlu.normalization import (
    align_words,
    normalize_piece,
    normalize_tone_marks,
    segment,
    segmenter_input,
    split_pieces,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    "word, expected",
    [
        # new-style placement moves to the traditional one underthesea was trained on
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("uỷ", "ủy"),
        ("tuỳ", "tùy"),
        ("hoá", "hóa"),
        ("loà", "lòa"),
        ("Hoà", "Hòa"),
        ("HOÀ", "HÒA"),
        # misplaced marks (typing errors) land on the right vowel
        ("hòang", "hoàng"),
        ("tóan", "toán"),
        ("họach", "hoạch"),
        ("ngòai", "ngoài"),
        ("khủyu", "khuỷu"),
        ("xóay", "xoáy"),
        ("ngừơi", "người"),
        ("rựơu", "rượu"),
        ("thủơ", "thuở"),
        ("tuỷên", "tuyển"),
        ("baì", "bài"),
        ("cuả", "của"),
        ("miá", "mía"),
        # "qu" and "gi" onsets
        ("qúy", "quý"),
        ("qủa", "quả"),
        ("gìa", "già"),
        ("gì", "gì"),
        ("giữa", "giữa"),
        # already right: unchanged
        ("hòa", "hòa"),
        ("hoàng", "hoàng"),
        ("người", "người"),
        ("quốc", "quốc"),
        ("đăng", "đăng"),
        # not Vietnamese syllables: left alone
        ("café", "café"),
        ("vneid", "vneid"),
        ("cccd", "cccd"),
        ("1900", "1900"),
        ("", ""),
        # two tone marks, one of them loose (NFC has no "ǹ" with a second grave): left alone,
        # and still NFC
        ("a\u01f9\u0300", "a\u01f9\u0300"),
        ("hoa\u0300\u0301", "ho\u00e0\u0301"),
        # every syllable of a longer text, and NFD input
        ("hoà bình, khoẻ mạnh", "hòa bình, khỏe mạnh"),
        (nfd("thuỷ lợi"), "thủy lợi"),
    ],
)
def test_normalize_tone_marks(word: str, expected: str) -> None:
    assert normalize_tone_marks(word) == expected


@pytest.mark.parametrize(
    "word", "hoà thuỷ khoẻ uỷ tuỳ hoá oà qủy baì cuả tóan hòang ngòai họach ngừơi Hoà HOÀ".split()
)
def test_tone_marks_agree_with_underthesea(word: str) -> None:
    from underthesea import text_normalize

    assert normalize_tone_marks(word) == text_normalize(word)


@pytest.mark.parametrize(
    "piece, expected",
    [
        ("KÍCH", "kích"),
        (nfd("Khoẻ"), "khỏe"),
        ("Ðăng", "đăng"),  # eth, as underthesea reads it
        ("VNeID", "vneid"),
        ("👍", "👍"),
    ],
)
def test_normalize_piece(piece: str, expected: str) -> None:
    assert normalize_piece(piece) == expected


@pytest.mark.parametrize(
    "text, expected_pieces, expected_spaced",
    [
        ("tiếp!!!", ["tiếp", "!", "!", "!"], [False, False, False, False]),
        ("vneid,cccd", ["vneid", ",", "cccd"], [False, False, False]),
        ("  tài   khoản ", ["tài", "khoản"], [False, True]),
        ("mức 2", ["mức", "2"], [False, True]),
        ("abc123", ["abc123"], [False]),
        ("tai_khoan", ["tai", "_", "khoan"], [False, False, False]),
        (nfd("hoà"), [nfd("hoà")], [False]),
        ("👍🏽 ok", ["👍🏽", "ok"], [False, True]),  # skin tone stays with its emoji
        ("👨\u200d👩\u200d👧", ["👨\u200d👩\u200d👧"], [False]),  # ZWJ sequence
        ("tài\u200bkhoản", ["tài", "khoản"], [False, True]),  # zero-width space separates
        ("\u0301a", ["\u0301", "a"], [False, False]),  # a mark with no base stands alone
        ("", [], []),
        (" \t\n", [], []),
    ],
)
def test_split_pieces(text: str, expected_pieces: List[str], expected_spaced: List[bool]) -> None:
    pieces = split_pieces(text)

    assert [text[piece.start : piece.end] for piece in pieces] == expected_pieces
    assert [piece.spaced for piece in pieces] == expected_spaced


def test_segmenter_input_keeps_glue_and_collapses_spaces() -> None:
    assert segmenter_input(split_pieces(" Tài \u200b khoản!!  HOÀ\t1900 ")) == "tài khoản!! hòa 1900"


@pytest.mark.parametrize(
    "pieces, words, expected",
    [
        # the segmenter returned the text unchanged
        (["tài", "khoản", "ở", "đâu"], ["tài khoản", "ở", "đâu"], [(0, 2), (2, 3), (3, 4)]),
        (["vneid", ".", "gov", ".", "vn"], ["vneid.gov.vn"], [(0, 5)]),
        (["tiếp", "!", "!", "!"], ["tiếp", "!", "!", "!"], [(0, 1), (1, 2), (2, 3), (3, 4)]),
        # words ending inside a piece are merged up to the piece's end
        (["abc", "d"], ["a", "bc", "d"], [(0, 1), (1, 2)]),
        (["abc", "de"], ["ab", "cd", "e"], [(0, 2)]),
        # a changed word: the next piece stands alone, the rest stays in step
        (["nghành", "này"], ["ngành", "này"], [(0, 1), (1, 2)]),
        (
            ["hoà", "bình", "tài", "khoản", "là", "gì"],
            ["hòa bình", "tài khoản", "là", "gì"],
            [(0, 1), (1, 2), (2, 4), (4, 5), (5, 6)],
        ),
        # a changed word ending inside a piece
        (["abc", "de"], ["a", "X", "de"], [(0, 1), (1, 2)]),
        # a dropped word
        (["a", "b", "c", "d"], ["a", "c d"], [(0, 1), (1, 2), (2, 4)]),
        # an inserted word
        (["a", "b"], ["a", "zzz", "b"], [(0, 1), (1, 2)]),
        # nothing usable at all
        (["a", "b"], [], [(0, 1), (1, 2)]),
        (["a", "b"], ["A", "B"], [(0, 1), (1, 2)]),
        (["a", "b"], ["", "  ", "a b"], [(0, 2)]),
        ([], ["a"], []),
    ],
)
def test_align_words(pieces: List[str], words: List[str], expected: List[Tuple[int, int]]) -> None:
    assert align_words(pieces, words) == expected


def test_align_words_always_partitions_the_pieces_in_order() -> None:
    rng = random.Random(20240601)
    alphabet = "abcàđ!."
    for _ in range(2000):
        pieces = ["".join(rng.choices(alphabet, k=rng.randint(1, 3))) for _ in range(rng.randint(0, 8))]
        stream = "".join(pieces)
        # words cut from the real stream at random, then some corrupted
        words: List[str] = []
        i = 0
        while i < len(stream):
            j = rng.randint(i + 1, len(stream))
            words.append(stream[i:j] if rng.random() > 0.2 else stream[i:j].upper() + "x")
            i = j
        if rng.random() < 0.2 and words:
            del words[rng.randrange(len(words))]

        spans = align_words(pieces, words)

        assert [k for first, last in spans for k in range(first, last)] == list(range(len(pieces)))
        assert all(first < last for first, last in spans)


def _words_as_spans(text: str, segmenter: object) -> List[Tuple[str, Tuple[str, ...], bool]]:
    return [(text[w.start : w.end], w.syllables, w.is_punctuation) for w in segment(text, segmenter)]  # type: ignore[arg-type]


def test_segment_maps_words_onto_the_original_text() -> None:
    def segmenter(text: str) -> Sequence[str]:
        assert text == "tài khoản vneid.gov.vn!"  # normalised view
        return ["tài khoản", "vneid.gov.vn", "!"]

    text = nfd("  TÀI  Khoản vneid.gov.vn!")

    assert _words_as_spans(text, segmenter) == [
        (nfd("TÀI  Khoản"), ("tài", "khoản"), False),
        ("vneid.gov.vn", ("vneid.gov.vn",), False),
        ("!", ("!",), True),
    ]


def test_segment_of_empty_text_does_not_call_the_segmenter() -> None:
    def segmenter(text: str) -> Sequence[str]:
        raise AssertionError("called")

    assert segment("  \u200b ", segmenter) == []
