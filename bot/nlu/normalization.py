"""Normalise Vietnamese text for word segmentation and map the words back onto the original.

The segmenter sees a normalised view of the message (NFC, one tone-mark style, lower case),
but tokens must point into the original text. So the text is first cut into pieces (runs of
letters and digits, or single other characters), each piece is normalised on its own, and the
segmenter's words are matched back onto whole pieces. Nothing here imports underthesea: the
segmenter is passed in, which keeps these functions pure and testable with fakes.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

# Tone marks as combining characters (NFD). The other Vietnamese marks (breve, circumflex,
# horn) belong to the vowel and never move.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_MARKED_VOWELS = frozenset("ăâêôơư")

# One Vietnamese syllable without its tone mark, lower case. Anything else (loan words,
# abbreviations like "cccd", mixed letters and digits) is left alone.
_SYLLABLE = re.compile(
    r"(?P<onset>[bcdđghklmnpqrstvx]*)(?P<nucleus>[aăâeêioôơuưy]{1,3})(?P<coda>ch|ng|nh|[cmnpt])?"
)
_LETTER = re.compile(r"[^\W\d_]")

# The segmenter never sees these: underthesea reads "ð" (eth) as "đ" and so do users.
_CHARACTER_FIXES = str.maketrans({"ð": "đ"})

# Joiners kept inside a cluster: zero-width (non-)joiner, and skin-tone modifiers of emoji.
_JOINERS = frozenset("\u200c\u200d")
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)
_TAGS = range(0xE0020, 0xE0080)  # tag characters of subdivision-flag emoji

# How many pieces to look ahead for a word the segmenter changed or after one it dropped.
_RESYNC_WINDOW = 8


@dataclass(frozen=True)
class Piece:
    """A run of letters and digits, or one other visible character with its marks."""

    start: int
    end: int
    normalized: str
    # True if whitespace (or an invisible separator) comes between this piece and the previous.
    spaced: bool


@dataclass(frozen=True)
class Word:
    """One segmented word as a span of the original text."""

    start: int
    end: int
    # Normalised syllables: the word's pieces with whatever separated them removed, so
    # "tài  khoản" gives ("tài", "khoản") and "vneid.gov.vn" gives ("vneid.gov.vn",).
    syllables: Tuple[str, ...]
    # True if every piece is punctuation (Unicode category P*).
    is_punctuation: bool


def tone_mark_position(syllable: str) -> Optional[int]:
    """Index of the vowel that carries the tone in a toneless NFC syllable, or None.

    Follows the traditional placement that underthesea's training data and its own
    normaliser use: "hòa", "thủy", "khỏe" (not "hoà", "thuỷ", "khoẻ").
    """
    match = _SYLLABLE.fullmatch(syllable.lower())
    if match is None:
        return None
    onset, nucleus, coda = match["onset"], match["nucleus"], match["coda"]
    start = match.start("nucleus")
    # In "qu" and "gi" before another vowel the u / i belong to the onset: "quý", "giữa".
    if onset in ("q", "g") and nucleus[0] == ("u" if onset == "q" else "i") and len(nucleus) > 1:
        start, nucleus = start + 1, nucleus[1:]
    marked = [i for i, vowel in enumerate(nucleus) if vowel in _MARKED_VOWELS]
    if marked:
        # A vowel with a circumflex, breve or horn takes the tone; in "ươ" the second: "người".
        return start + marked[-1]
    if len(nucleus) == 3:
        return start + 1  # "ngoài", "khuỷu"
    if coda:
        return start + len(nucleus) - 1  # "hoàng", "toán"
    return start  # open syllables: "hòa", "của", "tài"


def normalize_tone_marks(word: str) -> str:
    """Move the tone mark of each Vietnamese syllable in ``word`` to its traditional place."""
    text = unicodedata.normalize("NFC", word)
    parts: List[str] = []
    done = 0
    for start, end in _letter_runs(text):
        parts += [text[done:start], _place_tone_mark(text[start:end])]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def _letter_runs(text: str) -> List[Tuple[int, int]]:
    """Spans of letters together with the combining marks among and after them.

    NFC leaves a mark loose where no letter has it precomposed ("ǹ" with a second grave).
    It belongs to the syllable: counted, it keeps "aǹ̀" (two tones) as it is; left out, the
    other tone would move and the loose mark land on a letter it composes with (not NFC).
    """
    runs: List[Tuple[int, int]] = []
    start: Optional[int] = None
    for i, ch in enumerate(text):
        if _LETTER.match(ch) or (start is not None and unicodedata.category(ch)[0] == "M"):
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(text)))
    return runs


def _place_tone_mark(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) != 1:
        return syllable
    toneless = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    position = tone_mark_position(toneless)
    if position is None:
        return syllable
    return unicodedata.normalize("NFC", toneless[: position + 1] + tones[0] + toneless[position + 1 :])


def normalize_piece(piece: str) -> str:
    """The form the segmenter and the features see: NFC, lower case, one tone-mark style."""
    return normalize_tone_marks(unicodedata.normalize("NFC", piece).lower().translate(_CHARACTER_FIXES))


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _is_separator(ch: str) -> bool:
    # Control and format characters (zero-width space, BOM, bidi controls, soft hyphen)
    # separate pieces like whitespace does; so do lone surrogates, which JSON can carry
    # and which underthesea cannot encode.
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def _extends_cluster(ch: str) -> bool:
    code = ord(ch)
    return unicodedata.category(ch)[0] == "M" or ch in _JOINERS or code in _EMOJI_MODIFIERS or code in _TAGS


def _clusters(text: str) -> List[Tuple[int, int]]:
    """Spans of grapheme-like clusters (a base character and what attaches to it); separators skipped."""
    clusters: List[Tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if _is_separator(text[i]):
            i += 1
            continue
        end = i + 1
        while end < n and _extends_cluster(text[end]):
            end += 1
            # An emoji ZWJ sequence ("👨‍👩‍👧") glues the next character on as well.
            if text[end - 1] == "\u200d" and end < n and not _is_separator(text[end]):
                end += 1
        clusters.append((i, end))
        i = end
    return clusters


def split_pieces(text: str) -> List[Piece]:
    """Cut ``text`` into pieces: runs of letter/digit clusters, and single other clusters."""
    pieces: List[Piece] = []
    run_start: Optional[int] = None
    previous_end = 0

    def add(start: int, end: int) -> None:
        spaced = bool(pieces) and start > pieces[-1].end
        pieces.append(Piece(start, end, normalize_piece(text[start:end]), spaced))

    for start, end in _clusters(text):
        is_word = _is_word_char(text[start])
        if run_start is not None and (not is_word or start != previous_end):
            add(run_start, previous_end)
            run_start = None
        if is_word:
            run_start = start if run_start is None else run_start
        else:
            add(start, end)
        previous_end = end
    if run_start is not None:
        add(run_start, previous_end)
    return pieces


def segmenter_input(pieces: Sequence[Piece]) -> str:
    """The normalised text the segmenter reads: pieces, with one space where the original had any."""
    return "".join((" " if piece.spaced else "") + piece.normalized for piece in pieces)


def align_words(pieces: Sequence[str], words: Sequence[str]) -> List[Tuple[int, int]]:
    """Map the segmenter's ``words`` onto spans ``[first, last)`` of normalised ``pieces``.

    The words are never trusted: a word counts only where its text (spaces removed) matches
    the pieces at the cursor. A word that ends inside a piece is merged with the next words
    up to the piece's end. A word that cannot be found at the cursor is looked for a few
    pieces ahead (the segmenter dropped something); if it is not there, the next piece
    becomes a word on its own. Pieces the words never reach become words on their own.
    Every piece ends up in exactly one span, in order.
    """
    stream = "".join(pieces)
    starts = [0, *itertools.accumulate(len(piece) for piece in pieces)]
    spans: List[Tuple[int, int]] = []
    first = piece = cursor = 0  # first piece of the open span; piece holding the cursor

    def close(upto: int) -> None:
        nonlocal first
        if upto > first:
            spans.append((first, upto))
        first = upto

    for word in words:
        if piece == len(pieces):
            break
        target = "".join(word.split())
        if not target:
            continue
        if not stream.startswith(target, cursor):
            if cursor > starts[piece]:  # finish the piece the previous word ended inside
                piece += 1
                close(piece)
                cursor = starts[piece]
                if piece == len(pieces):
                    break
            window = range(piece + 1, min(piece + _RESYNC_WINDOW, len(pieces)))
            ahead = next((k for k in window if stream.startswith(target, starts[k])), None)
            if ahead is None:  # the segmenter changed this word: the next piece stands alone
                piece += 1
                close(piece)
                cursor = starts[piece]
                continue
            for single in range(piece, ahead):  # it dropped some: those pieces stand alone
                close(single + 1)
            piece, cursor = ahead, starts[ahead]
        cursor += len(target)
        while piece < len(pieces) and starts[piece + 1] <= cursor:
            piece += 1
        if cursor == starts[piece]:
            close(piece)
    if cursor > starts[piece]:
        close(piece + 1)
    for single in range(first, len(pieces)):
        close(single + 1)
    return spans


def _is_punctuation(piece: Piece) -> bool:
    return unicodedata.category(piece.normalized[0])[0] == "P"


def segment(text: str, segmenter: Callable[[str], Sequence[str]]) -> List[Word]:
    """Segment ``text`` into words that are spans of ``text`` itself, whatever its form."""
    pieces = split_pieces(text)
    if not pieces:
        return []
    spans = align_words([piece.normalized for piece in pieces], segmenter(segmenter_input(pieces)))
    words = []
    for first, last in spans:
        members = pieces[first:last]
        syllables: List[str] = []
        for member in members:
            if syllables and not member.spaced:
                syllables[-1] += member.normalized
            else:
                syllables.append(member.normalized)
        words.append(
            Word(
                start=members[0].start,
                end=members[-1].end,
                syllables=tuple(syllables),
                is_punctuation=all(_is_punctuation(member) for member in members),
            )
        )
    return words
