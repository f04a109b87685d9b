"""Vietnamese text helpers shared by the NLU components, the KB search and the web app."""

from __future__ import annotations

import unicodedata

# "đ" is a letter of its own, not "d" plus a mark, so NFD does not split it.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form every stored text uses."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks: "Định danh" -> "Dinh danh"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def fold(text: str) -> str:
    """Lower-cased, diacritic-free, whitespace-collapsed form used for matching."""
    return " ".join(strip_diacritics(text).casefold().split())
