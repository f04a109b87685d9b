"""Find which of today's units a message names, by current or former name, typos allowed.

Works on folded text (no diacritics, lower case), so "xa Nghi Loc", "xã Nghi Lộc" and
"xa nghi lôc" are one name. A type word before the name ("huyện Cam Lộ") picks the
level; a province named elsewhere in the message narrows the rest. Former names map
to the communes their area went to on 1/7/2025.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Sequence, Set, Tuple

from bot.text import fold, nfc

# Levels of a name, most specific first; a reply explains former names in today's terms.
COMMUNE = "commune"
PROVINCE = "province"
FORMER_COMMUNE = "former_commune"
FORMER_DISTRICT = "former_district"
FORMER_PROVINCE = "former_province"
_RANK = {COMMUNE: 0, FORMER_COMMUNE: 1, FORMER_DISTRICT: 2, PROVINCE: 3, FORMER_PROVINCE: 4}

# Folded type words as people write them; abbreviations expand before matching.
_TYPES = ("thanh pho", "thi tran", "thi xa", "dac khu", "tinh", "phuong", "xa", "quan", "huyen")
_EXPAND = {
    "tp": "thanh pho",
    "tx": "thi xa",
    "tt": "thi tran",
    "hcm": "ho chi minh",
    "tphcm": "thanh pho ho chi minh",
    "hn": "ha noi",
    "p": "phuong",
    "q": "quan",
}
# Syllables common in questions about help points; a span made only of these is no name.
_QUESTION_WORDS = frozenset(
    "buu dien cuc gan nhat o dau co mo cua khong ko k lam viec thu bay chu nhat may gio toi minh "
    "em anh chi ban ho tro vneid dich vu cong an a nhe voi cho hoi tai tim diem nao nha "
    "mot uy nhan dan trung tam hanh chinh sang chieu hom nay mai the di den".split()
)
# Set phrases of such questions: their syllables never start or end a name ("bưu điện
# Quang Bình" is not "Xã Điện Quang"), unless a type word says otherwise ("xã Bưu ...").
_PHRASES = tuple(
    tuple(p.split())
    for p in (
        "uy ban nhan dan",
        "hanh chinh cong",
        "dich vu cong",
        "buu dien",
        "buu cuc",
        "cong an",
        "mot cua",
        "gan nhat",
        "mo cua",
        "dong cua",
        "lam viec",
        "chu nhat",
        "thu bay",
        "ho tro",
    )
)
# Words after which a place name usually follows; fuzzy matching is tried there.
_LEAD_WORDS = frozenset("o tai gan thuoc khu vuc".split())
MAX_SPAN = 5


@dataclass(frozen=True)
class Target:
    """A unit a name can mean: today's, or a former one with the communes it went to."""

    level: str
    name: str  # full display name, "Huyện Cam Lộ"
    type_word: str  # folded, "huyen"
    province_code: int
    communes: FrozenSet[int]  # empty for a whole province
    former_province: str = ""  # for former names: the province it was in
    former_district: str = ""  # for former communes: the district it was in


@dataclass
class Area:
    """What a message names, resolved to today's units of one province."""

    province_code: int
    targets: List[Target] = field(default_factory=list)

    @property
    def best(self) -> Target:
        return min(self.targets, key=lambda t: _RANK[t.level])

    @property
    def communes(self) -> FrozenSet[int]:
        """Today's communes covered; empty means the whole province."""
        if any(t.level == PROVINCE for t in self.targets):
            return frozenset()
        return frozenset().union(*(t.communes for t in self.targets))

    @property
    def primary(self) -> FrozenSet[int]:
        """Communes of the most specific name, listed first in answers."""
        return self.best.communes


def split_type(folded_name: str) -> Tuple[str, str]:
    """("huyen", "cam lo") from "huyen cam lo"; ("", name) when there is no type word."""
    for word in _TYPES:
        if folded_name.startswith(word + " ") and folded_name[len(word) + 1 :].strip():
            return word, folded_name[len(word) + 1 :]
    return "", folded_name


def syllables(text: str) -> List[Tuple[str, str, int]]:
    """(folded, as written in lower case, segment) per syllable, abbreviations expanded.

    "P12, TP.HCM" -> [("phuong", "phuong", 0), ("12", "12", 0), ("thanh", "thanh", 1), ...].
    The written form tells "Tân Thạnh" from "Tân Thành" when the user typed the marks; the
    segment number goes up at each comma, semicolon, bracket or line break.
    """
    out: List[Tuple[str, str, int]] = []
    segment = 0
    for match in re.finditer(r"[^\W_]+|[,;:!?()\[\]\n]", nfc(text).lower()):
        raw = match.group(0)
        if not raw[0].isalnum():
            segment += 1
            continue
        folded = fold(raw)
        glued = re.fullmatch(r"(q|p|quan|phuong)(\d{1,2})", folded)  # "q1", "p12"
        parts = list(glued.groups()) if glued else re.findall(r"[a-z0-9]+", folded)
        for part in parts:
            expansion = _EXPAND.get(part)
            if expansion:
                out.extend((w, w, segment) for w in expansion.split())
            else:
                out.append((part, raw if part == folded else part, segment))
    return out


def tokens(text: str) -> List[str]:
    """Folded syllables with abbreviations expanded: "P. Ben Thanh, TP.HCM" -> [...]."""
    return [s[0] for s in syllables(text)]


def _written_short(name: str) -> str:
    """ "Xã Tân Thạnh" -> "tân thạnh": the short name as a user would type it, marks kept."""
    written = [s[1] for s in syllables(name)]
    type_word, _ = split_type(" ".join(fold(w) for w in written))
    return " ".join(written[len(type_word.split()) :] if type_word else written)


def _compact(words: Sequence[str]) -> str:
    return "".join(words)


def _deletes(word: str) -> Set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of neighbours as one edit ("thnah" ~ "thanh");
    anything over ``limit`` is reported as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        if min(row) > limit:
            return limit + 1
        rows = [rows[-1], row]
    return min(rows[-1][-1], limit + 1)


class PlaceIndex:
    """Every name a unit goes by, for exact and typo-tolerant lookups in a message."""

    def __init__(self, targets: Iterable[Target]):
        self._exact: Dict[Tuple[str, ...], List[Target]] = defaultdict(list)
        self._by_compact: Dict[str, Set[Tuple[str, ...]]] = defaultdict(set)
        self._deletes: Dict[str, Set[str]] = defaultdict(set)
        self._written: Dict[Target, str] = {}
        for target in targets:
            self._written[target] = _written_short(target.name)
            _, short = split_type(fold(target.name))
            key = tuple(short.split())
            if not key:
                continue
            self._exact[key].append(target)
            compact = _compact(key)
            self._by_compact[compact].add(key)
            if len(compact) >= 5:  # shorter names are too close to each other for typos
                for variant in _deletes(compact) | {compact}:
                    self._deletes[variant].add(compact)

    def _fuzzy(self, words: Sequence[str]) -> List[Tuple[str, ...]]:
        """Names within one typo (two for long names) of ``words``, closest first."""
        compact = _compact(words)
        if len(compact) < 5:
            return []
        limit = 2 if len(compact) >= 9 else 1
        candidates: Set[str] = set()
        for variant in _deletes(compact) | {compact}:
            candidates |= self._deletes.get(variant, set())
        scored = sorted((d, c) for c in candidates if (d := _distance(compact, c, limit)) <= limit)
        best = [c for d, c in scored if d == scored[0][0]] if scored else []
        return [key for c in best for key in sorted(self._by_compact[c])]

    def find(self, text: str) -> List[Area]:
        """Areas the text names, best first; empty when it names none."""
        parts = syllables(text)
        words = [p[0] for p in parts]
        written = [p[1] for p in parts]
        segments = [p[2] for p in parts]
        found = self._scan(words, written, segments, fuzzy=False)
        return _areas(found or self._scan(words, written, segments, fuzzy=True))

    def _scan(
        self, words: List[str], written: List[str], segments: List[int], fuzzy: bool
    ) -> List[Tuple[str, List[Target]]]:
        """(type word, targets) for each name found, not overlapping.

        Of all ways to read the message as names, the one that explains the most syllables
        wins, then the one with fewer, longer names: "xã Tân Thạnh Tây Ninh" is Tân Thạnh
        in Tây Ninh, not a commune "Tân Thạnh Tây" and a stray "Ninh"; "phường Sài Gòn" is
        Sài Gòn ward, not "Phương Sài" and a stray "Gòn". Names never cross a comma.
        """
        used = _phrase_mask(words)
        n = len(words)
        # best[i]: (syllables explained, -names, hits) for words[i:], filled right to left.
        best: List[Tuple[int, int, List[Tuple[str, List[Target]]]]] = [(0, 0, [])] * (n + 1)
        for i in range(n - 1, -1, -1):
            choice = (best[i + 1][0], best[i + 1][1], best[i + 1][2])
            for first_word in _starts(words, i):
                for length in range(1, MAX_SPAN + 1):
                    end = first_word + length
                    if end > n or any(used[i:end]) or segments[i] != segments[end - 1]:
                        break
                    type_word = " ".join(words[i:first_word])
                    targets = self._targets(words, first_word, length, type_word, fuzzy)
                    marked = " ".join(written[first_word:end])
                    # Names that differ only in their marks: trust the marks when typed.
                    targets = [t for t in targets if self._written[t] == marked] or targets
                    if not targets:
                        continue
                    after = best[end]
                    option = (after[0] + end - i, after[1] - 1, [(type_word, targets), *after[2]])
                    if option[:2] > choice[:2]:
                        choice = option
            best[i] = choice
        return best[0][2]

    def _targets(
        self, words: List[str], start: int, length: int, type_word: str, fuzzy: bool
    ) -> List[Target]:
        span = words[start : start + length]
        # A lone syllable or everyday words ("hồ chí minh" folds to "ho chi minh") are a
        # name only as a province ("Huế") or after a type word.
        weak = length == 1 or all(w in _QUESTION_WORDS for w in span)
        if fuzzy and weak and not type_word:
            return []
        if fuzzy:
            whole = start == 0 and length == len(words)
            led = start > 0 and (type_word or words[start - 1] in _LEAD_WORDS)
            if not (whole or led) or span[-1] in _QUESTION_WORDS:
                return []
            keys = self._fuzzy(span)
        else:
            keys = [tuple(span)] if tuple(span) in self._exact else []
        targets = [t for key in keys for t in self._exact[key]]
        if type_word:
            # "xã X" where only a province is called X is not this name.
            return [t for t in targets if _compatible(type_word, t)]
        # Without a type word, a province's name means the province ("bưu điện Quảng Bình").
        wide = [t for t in targets if t.level in (PROVINCE, FORMER_PROVINCE)]
        return wide if wide or weak else targets


def _phrase_mask(words: Sequence[str]) -> List[bool]:
    used = [False] * len(words)
    for phrase in _PHRASES:
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if tuple(words[start : start + size]) == phrase and not _type_before(words, start):
                used[start : start + size] = [True] * size
    return used


def has_type_word(text: str) -> bool:
    """Whether the text uses a unit's type word ("xã", "huyện", "thành phố", "tp" ...)."""
    words = tokens(text)
    return any(" ".join(words[i : i + size]) in _TYPES for i in range(len(words)) for size in (1, 2))


def _starts(words: Sequence[str], i: int) -> List[int]:
    """Where a name may begin for a span starting at i: i itself, or after a type word there."""
    starts = [i]
    for size in (1, 2):
        if " ".join(words[i : i + size]) in _TYPES and i + size < len(words):
            starts.append(i + size)
    return starts


def _type_before(words: Sequence[str], start: int) -> str:
    for size in (2, 1):
        if start >= size and " ".join(words[start - size : start]) in _TYPES:
            return " ".join(words[start - size : start])
    return ""


def _compatible(type_word: str, target: Target) -> bool:
    if target.type_word == type_word:
        return True
    # People still say "thị trấn"/"xã" loosely, and "thành phố" for a province-level city.
    loose = {
        "xa": {"thi tran", "phuong", "dac khu"},
        "phuong": {"xa", "thi tran"},
        "thi tran": {"xa"},
        "thanh pho": {"tinh", "thi xa", "quan", "huyen"},
        "tinh": {"thanh pho"},
        "huyen": {"quan", "thi xa", "thanh pho"},
        "quan": {"huyen"},
        "thi xa": {"huyen", "thanh pho"},
    }
    return target.type_word in loose.get(type_word, ())


def _narrow(hits: List[List[Target]]) -> List[List[Target]]:
    """Let names in one message explain each other: "phường 12 Gò Vấp", "Cam Lộ, Quảng Trị"."""
    wide = {PROVINCE, FORMER_PROVINCE}
    provinces = {t.province_code for targets in hits for t in targets if t.level in wide}
    local = [[t for t in targets if t.level not in wide] for targets in hits]
    local = [targets for targets in local if targets]
    if not local:
        return hits
    if provinces:
        local = [[t for t in ts if t.province_code in provinces] or ts for ts in local]
    # A former commune named with its former district: keep that commune, drop the district.
    districts = {fold(t.name) for ts in local for t in ts if t.level == FORMER_DISTRICT}
    within = [
        [t for t in ts if t.level == FORMER_COMMUNE and fold(t.former_district) in districts] for ts in local
    ]
    if any(within) and len(local) > 1:
        local = [w for w in within if w]
    # Several names: keep the provinces they share, if any.
    shared = set.intersection(*({t.province_code for t in ts} for ts in local))
    if shared and len(local) > 1:
        local = [[t for t in ts if t.province_code in shared] for ts in local]
    return local


def _areas(hits: List[Tuple[str, List[Target]]]) -> List[Area]:
    chosen = [t for targets in _narrow([ts for _, ts in hits]) for t in targets]
    by_province: Dict[int, Area] = {}
    for target in chosen:
        by_province.setdefault(target.province_code, Area(target.province_code)).targets.append(target)
    return sorted(by_province.values(), key=lambda a: (_RANK[a.best.level], a.best.name))
