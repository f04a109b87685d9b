"""The public-service abbreviation table: "dk" stands for "đăng ký", "cccd" for "căn cước công dân".

The table lives in ``abbreviations.yml`` next to this module (its header says how to extend it).
Abbreviations are keyed by their folded form, so "dk", "đk" and "ĐK" are one abbreviation; a
word typed with tone or vowel marks is never an abbreviation ("ạ", "hỏng" stay words).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from bot.nlu.normalization import normalize_piece, split_pieces
from bot.text import fold

DEFAULT_PATH = Path(__file__).with_name("abbreviations.yml")

# One run of letters and digits: the unit the tokenizer and the gazetteer compare.
_ONE_RUN = re.compile(r"[^\W_]+")


def has_marks(word: str) -> bool:
    """True if ``word`` carries a tone or vowel mark ("đ" is a letter of its own, not a mark)."""
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", word))


@dataclass(frozen=True)
class Abbreviations:
    """Folded abbreviations and the syllables of their full forms (normalised, with diacritics)."""

    expansions: Mapping[str, Tuple[str, ...]]

    def expand(self, word: str) -> Optional[Tuple[str, ...]]:
        """The syllables of the full form if ``word``, as typed, is an abbreviation; else None."""
        if has_marks(word):
            return None
        return self.expansions.get(fold(word))

    def expand_within(self, syllable: str) -> Tuple[str, ...]:
        """``syllable`` with each abbreviation in it replaced by the syllables of its full form.

        Run by run of letters and digits, as the gazetteer matches: underthesea may glue an
        abbreviation to punctuation ("dk.tam" in "lam sao dk.tam tru", where it splits "đk",
        ".", "tạm" in "làm sao đk.tạm trú"), and lemmas must not depend on how it segments.
        """
        parts = [""]
        done = 0
        for piece in split_pieces(syllable):
            expansion = self.expand(syllable[piece.start : piece.end])
            if expansion is None:
                continue
            parts[-1] += syllable[done : piece.start] + expansion[0]
            parts.extend(expansion[1:])
            done = piece.end
        parts[-1] += syllable[done:]
        return tuple(parts)

    def folded(self) -> Dict[str, Tuple[str, ...]]:
        """The table with folded full forms: what diacritic-free matching compares."""
        return {abbreviation: tuple(fold(s) for s in full) for abbreviation, full in self.expansions.items()}


@functools.lru_cache(maxsize=8)
def load_abbreviations(path: Union[str, Path] = DEFAULT_PATH) -> Abbreviations:
    """Read and check an abbreviation table (by default the one shipped with the bot)."""
    import rasa.shared.utils.io

    return parse_abbreviations(rasa.shared.utils.io.read_yaml_file(path), source=str(path))


def parse_abbreviations(content: Any, source: str = "abbreviations.yml") -> Abbreviations:
    """Check the content of an abbreviation file and build the table from it."""

    def fail(field: str, problem: str) -> ValueError:
        return ValueError(f"{source}: {field}: {problem}")

    if not isinstance(content, dict) or not isinstance(content.get("expansions"), dict):
        raise fail("expansions", "expected a mapping from full forms to lists of abbreviations")
    keep = content.get("keep") or []
    if not isinstance(keep, list) or not all(isinstance(word, str) for word in keep):
        raise fail("keep", "expected a list of words")
    kept = {fold(word) for word in keep}

    expansions: Dict[str, Tuple[str, ...]] = {}
    full_forms: Dict[str, str] = {}
    for full_form, abbreviations in content["expansions"].items():
        field = f"expansions['{full_form}']"
        if not isinstance(full_form, str) or not full_form.split():
            raise fail(field, "the full form must be a non-empty text")
        if not isinstance(abbreviations, list) or not abbreviations:
            raise fail(field, "expected a non-empty list of abbreviations, e.g. [dk, dky]")
        syllables = tuple(normalize_piece(syllable) for syllable in full_form.split())
        for abbreviation in abbreviations:
            if not isinstance(abbreviation, str):
                raise fail(field, f"{abbreviation!r} is not a text; quote it")
            if not _ONE_RUN.fullmatch(abbreviation) or has_marks(abbreviation):
                raise fail(
                    field,
                    f"'{abbreviation}' must be one run of letters and digits without tone or "
                    f"vowel marks (people type abbreviations that way)",
                )
            key = fold(abbreviation)
            if key in kept:
                raise fail(field, f"'{abbreviation}' is also listed under 'keep'; remove one of them")
            if key in full_forms and full_forms[key] != full_form:
                raise fail(field, f"'{abbreviation}' is already the abbreviation of '{full_forms[key]}'")
            expansions[key], full_forms[key] = syllables, full_form
    return Abbreviations(expansions)
