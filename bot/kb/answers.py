"""Pick the answer to the question asked: a lexical ranker over the KB's answers.

Each procedure offers candidate answers: its question items (``questions`` in the content
files, each with several wordings), its fields (fee, processing time, where, papers, legal
basis) and its walkthrough (the steps). A message is compared with every wording as folded
syllables and syllable pairs (no diacritics, abbreviations expanded), each weighted by how
rare it is across all wordings (IDF): a wording scores by how much of its weight the message
contains. Long messages with a preamble and a story lose nothing, because only the words of
the wording count; a clause of its own is scored on its own, so a message with two or three
questions can get two or three answers.

The NLU's topic ranking, where given, is a prior on the procedures; the ranker never reads the
database, so the action server builds one index per KB load.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.kb.content import Procedure
from bot.nlu.abbreviations import DEFAULT_PATH, has_marks, parse_abbreviations
from bot.text import fold, nfc

# What a candidate is: a question item, a field, or the walkthrough.
QUESTION = "question"
FEE = "fee"
TIME = "processing_time"
WHERE = "where"
PAPERS = "papers"
LEGAL = "legal_basis"
STEPS = "steps"

# How people ask for each field, whatever the procedure (the procedure's own words come from
# its title and aliases, which every candidate of it carries).
FIELD_WORDINGS: Dict[str, Tuple[str, ...]] = {
    FEE: (
        "lệ phí bao nhiêu",
        "có mất phí không",
        "có mất tiền không",
        "phí bao nhiêu tiền",
        "có phải nộp tiền không",
        "tốn bao nhiêu",
        "có thu phí không",
        "miễn phí không",
    ),
    TIME: (
        "mất bao lâu",
        "bao lâu thì có",
        "mấy ngày thì xong",
        "thời gian giải quyết",
        "bao nhiêu ngày",
        "khi nào có kết quả",
        "chờ bao lâu",
    ),
    WHERE: (
        "làm ở đâu",
        "nộp ở đâu",
        "đến đâu để làm",
        "cơ quan nào giải quyết",
        "nơi làm",
        "đi đâu làm",
        "ở đâu cấp",
    ),
    PAPERS: (
        "cần giấy tờ gì",
        "hồ sơ gồm những gì",
        "cần mang theo gì",
        "cần chuẩn bị gì",
        "giấy tờ cần có",
        "thành phần hồ sơ",
    ),
    LEGAL: ("căn cứ pháp lý", "theo luật nào", "quy định ở nghị định nào", "văn bản quy định"),
    STEPS: (
        "làm thế nào",
        "làm như thế nào",
        "cách làm",
        "hướng dẫn",
        "thủ tục",
        "các bước",
        "làm sao để",
        "trình tự",
        "cách đăng ký",
    ),
}

# Words of politeness and of the asker that say nothing about the question, folded.
_FILLER = frozenset(
    "toi minh em anh chi ban cho xin hoi a oi nhe voi vay a ah thua cam on ad admin "
    "chao kinh gui giup".split()
)
_WORD = re.compile(r"\w+")
_CLAUSE_END = re.compile(r"[?\n]+|[.;!]\s+(?=\S)")


@lru_cache(maxsize=1)
def _abbreviations() -> Dict[str, Tuple[str, ...]]:
    """Folded abbreviation -> folded syllables of its full form (bot/nlu/abbreviations.yml)."""
    table = parse_abbreviations(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))
    return table.folded()


def syllables(text: str) -> List[str]:
    """Folded syllables of ``text``, abbreviations typed without marks expanded ("dk" -> dang ky)."""
    table = _abbreviations()
    out: List[str] = []
    for word in _WORD.findall(nfc(text)):
        folded = fold(word)
        expansion = None if has_marks(word) else table.get(folded)
        out.extend(expansion if expansion else (folded,))
    return out


# "có … không?", "… chưa?": the frame of a yes/no question, not what it asks about.
_QUESTION_FRAME = frozenset({"co", "khong", "chua", "ko"})


# Ways of asking for the same kind of fact, folded: each adds a concept term ("#fee") to the
# terms of a text that holds it, so "mất tiền không" meets "lệ phí bao nhiêu".
CONCEPTS: Dict[str, Tuple[str, ...]] = {
    "#fee": ("le phi", "mat phi", "mat tien", "mien phi", "bao nhieu tien", "thu phi", "chi phi", "nop tien",
             "tra phi", "phi"),
    "#time": ("bao lau", "may ngay", "bao nhieu ngay", "thoi gian", "khi nao", "ngay lam viec"),
    "#where": ("o dau", "noi nao", "cho nao", "co quan nao", "den dau", "di dau"),
    "#age": ("tuoi",),
    "#fine": ("phat", "xu phat", "bi phat"),
    "#must": ("bat buoc", "co phai", "buoc phai"),
    "#online": ("truc tuyen", "online", "qua mang", "tren mang", "tai nha", "tren ung dung", "tren app"),
    "#papers": ("giay to", "ho so gom", "can mang", "chuan bi gi"),
    "#valid": ("thoi han", "het han", "gia tri", "con dung"),
}  # fmt: skip
CONCEPT_WEIGHT = 2.0  # a concept term's weight, relative to its rarity
_CONCEPT_PATTERNS = [
    (name, re.compile(r"\b(?:" + "|".join(map(re.escape, ws)) + r")\b")) for name, ws in CONCEPTS.items()
]


def terms(text: str) -> List[str]:
    """Syllables (fillers left out), pairs of neighbouring syllables (fillers kept), concepts."""
    words = syllables(text)
    joined = " ".join(words)
    concepts = [name for name, pattern in _CONCEPT_PATTERNS if pattern.search(joined)]
    singles = [w for w in words if w not in _FILLER]
    # A question's closing particle: "có bị phạt không" asks about "bị phạt".
    if len(singles) > 1 and singles[-1] in _QUESTION_FRAME:
        singles.pop()
    if len(singles) > 1 and singles[0] == "co":
        singles.pop(0)
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return singles + pairs + concepts


def clauses(text: str) -> List[str]:
    """The questions of a message, in order: split at question marks, lines and sentence ends."""
    parts = [part.strip() for part in _CLAUSE_END.split(text)]
    return [part for part in parts if len(syllables(part)) >= 2] or [text]


@dataclass(frozen=True)
class Candidate:
    slug: str
    kind: str
    position: int  # the question item's index, or 0 for fields and steps
    wordings: Tuple[str, ...]

    @property
    def key(self) -> Tuple[str, str, int]:
        return (self.slug, self.kind, self.position)


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float  # lexical match of the best wording, in [0, 1]
    topic: float  # the prior of its procedure, in [0, 1]
    clause: int  # which clause of the message it answers

    @property
    def total(self) -> float:
        return self.score + TOPIC_WEIGHT * self.topic


# How much the NLU's belief in a topic adds to a lexical match (tuned on the dev split).
TOPIC_WEIGHT = 0.35
# A procedure's own names count within each of its candidates, so "lệ phí căn cước" finds the
# fee of the căn cước entry: names add this share of a match.
NAME_WEIGHT = 0.3
# A field answers a generic question ("bao lâu?") that a question item may answer better
# ("thẻ có thời hạn bao lâu?"): fields count for a little less.
FIELD_WEIGHT = 0.85
# How much it adds that the answer itself holds the words of the question.
ANSWER_TEXT_WEIGHT = 2.0
# "như thế nào", "thủ tục" also open questions about one fact ("bị phạt như thế nào"): the
# walkthrough wins only when nothing more specific matches as well.
STEPS_WEIGHT = 0.6


class AnswerIndex:
    """Candidate answers of every procedure, with the IDF of their terms."""

    def __init__(
        self, procedures: Sequence[Procedure], aliases: Optional[Mapping[str, Sequence[str]]] = None
    ):
        aliases = aliases or {}
        self.candidates: List[Candidate] = []
        self.names: Dict[str, List[set]] = {}
        self.titles: Dict[str, Tuple[str, ...]] = {}
        self.name_syllables: Dict[str, set] = {}  # folded syllables of each topic's names
        for p in procedures:
            self.titles[p.slug] = (p.title, *aliases.get(p.slug, ()))
            self.names[p.slug] = [set(terms(name)) for name in self.titles[p.slug]]
            self.name_syllables[p.slug] = {w for name in self.titles[p.slug] for w in fold(name).split()}
            for i, item in enumerate(p.questions):
                self.candidates.append(Candidate(p.slug, QUESTION, i, item.ask))
            for kind, wordings in FIELD_WORDINGS.items():
                if kind == PAPERS and not p.papers:
                    continue
                self.candidates.append(Candidate(p.slug, kind, 0, wordings))
        # What a wording asks beyond naming its topic: "kích hoạt VNeID có mất phí không" asks
        # "có mất phí không"; the topic's names are scored apart (name_match).
        name_terms = {slug: set().union(*names) for slug, names in self.names.items()}
        self._terms = [
            [(set(terms(w)) - name_terms[c.slug]) or set(terms(w)) for w in c.wordings]
            for c in self.candidates
        ]
        documents = Counter(t for wordings in self._terms for w in wordings for t in w)
        documents.update(t for names in self.names.values() for name in names for t in name)
        total = sum(len(w) for w in self._terms) + sum(len(n) for n in self.names.values())
        self._idf = {
            t: math.log(1 + total / n) * (CONCEPT_WEIGHT if t.startswith("#") else 1.0)
            for t, n in documents.items()
        }
        # The answer's own words: what a question about it is likely to mention.
        answer_text = {(p.slug, i): q.answer for p in procedures for i, q in enumerate(p.questions)}
        self._answer_terms = [
            set(terms(answer_text[(c.slug, c.position)])) if c.kind == QUESTION else set()
            for c in self.candidates
        ]
        self._name_terms = name_terms
        self._default_idf = math.log(1 + total)
        # Inverted indexes, so a message costs the terms it shares with wordings, not a pass
        # over every wording: term -> wordings (candidate index, wording index), and
        # term -> candidates whose answer holds it.
        self.name_vocabulary = {
            t for names in self.names.values() for name in names for t in name if " " not in t
        }
        self._name_weight = {
            slug: [self._weight(name) for name in names] for slug, names in self.names.items()
        }
        self._wording_weight: List[List[float]] = [[self._weight(w) for w in ws] for ws in self._terms]
        self._postings: Dict[str, List[Tuple[int, int]]] = {}
        for c, wordings in enumerate(self._terms):
            for j, wording in enumerate(wordings):
                for t in wording:
                    self._postings.setdefault(t, []).append((c, j))
        self._answer_postings: Dict[str, List[int]] = {}
        for c, said in enumerate(self._answer_terms):
            for t in said:
                self._answer_postings.setdefault(t, []).append(c)

    def _weight(self, found: Iterable[str]) -> float:
        return sum(self._idf.get(t, self._default_idf) for t in found)

    def _cover(self, wording: set, message: set) -> float:
        whole = self._weight(wording)
        return self._weight(wording & message) / whole if whole else 0.0

    def name_match(self, slug: str, message: set) -> float:
        best = 0.0
        for name, whole in zip(self.names.get(slug, ()), self._name_weight.get(slug, ()), strict=True):
            if whole and not name.isdisjoint(message):
                best = max(best, self._weight(name & message) / whole)
        return best

    def name_matches(self, text: str) -> Dict[str, float]:
        """How much of each topic's best name the message holds, by slug."""
        whole = set(terms(text))
        return {slug: self.name_match(slug, whole) for slug in self.names}

    def _lexical(self, message: set) -> Dict[int, float]:
        """Candidate index -> the best share of a wording's weight the message holds (+ answer words)."""
        shared: Dict[Tuple[int, int], float] = {}
        for t in message:
            weight = self._idf.get(t, self._default_idf)
            for key in self._postings.get(t, ()):
                shared[key] = shared.get(key, 0.0) + weight
        best: Dict[int, float] = {}
        for (c, j), weight in shared.items():
            whole = self._wording_weight[c][j]
            cover = weight / whole if whole else 0.0
            if cover > best.get(c, 0.0):
                best[c] = cover
        if ANSWER_TEXT_WEIGHT:
            said: Dict[int, float] = {}
            for t in message:
                weight = self._idf.get(t, self._default_idf)
                for c in self._answer_postings.get(t, ()):
                    if t not in self._name_terms[self.candidates[c].slug]:
                        said[c] = said.get(c, 0.0) + weight
            asked: Dict[str, float] = {}
            for c, weight in said.items():
                slug = self.candidates[c].slug
                if slug not in asked:
                    asked[slug] = self._weight(message - self._name_terms[slug])
                # Only beside a match of its wordings: "tài khoản" in an answer about bank
                # accounts does not make "tài khoản?" a question about it.
                if asked[slug] and c in best:
                    best[c] += ANSWER_TEXT_WEIGHT * weight / asked[slug]
        return best

    def rank(
        self,
        text: str,
        topics: Optional[Mapping[str, float]] = None,
        limit: int = 5,
        names: Optional[Mapping[str, float]] = None,
    ) -> List[Scored]:
        """The best candidates for each clause of ``text``, best first (at most ``limit``)."""
        topics = topics or {}
        names = names if names is not None else self.name_matches(text)
        found: Dict[Tuple[str, str, int], Scored] = {}
        for number, part in enumerate(clauses(text)):
            for c, lexical in self._lexical(set(terms(part))).items():
                candidate = self.candidates[c]
                score = (1 - NAME_WEIGHT) * lexical + NAME_WEIGHT * names[candidate.slug]
                if candidate.kind == STEPS:
                    score *= STEPS_WEIGHT
                elif candidate.kind != QUESTION:
                    score *= FIELD_WEIGHT
                scored = Scored(candidate, round(score, 4), topics.get(candidate.slug, 0.0), number)
                best = found.get(candidate.key)
                if best is None or scored.total > best.total:
                    found[candidate.key] = scored
        ranked = sorted(found.values(), key=lambda s: (-s.total, s.candidate.key))
        return ranked[:limit]


# --- what to reply -----------------------------------------------------------------------

ANSWER = "answer"  # one to three direct answers
WALKTHROUGH = "walkthrough"  # the topic's summary and its first step
DECLINE = "decline"  # none of our topics
UNSURE = "unsure"  # ask back

# Tuned on the dev split of tests/answers (bench.answers); see the README's "Answers".
ANSWER_MIN = 0.55  # a candidate's total (match + topic prior) for a direct answer
TOPIC_MIN = 0.5  # the NLU's confidence in a topic for its walkthrough
NAME_MIN = 0.6  # how much of a topic's name the message holds, for its walkthrough
OUT_OF_SCOPE_MIN = 0.3  # the NLU's out-of-scope confidence to decline …
OUT_OF_SCOPE_MARGIN = 2.0  # … and how many times the best topic's it must be
NOTHING_NAMED = 0.45  # below this name match and TOPIC_MIN, the message names no topic
MAX_ANSWERS = 3
CLOSE_SECOND = 0.8  # a second answer to one question when it scores this share of the first
LONG_MESSAGE = 8  # syllables


ANCHOR_MIN = 0.3  # name match or NLU confidence that ties an answer to the message's topic
DOUBTFUL_SCOPE = 0.3  # above this out-of-scope confidence, only a clearly named topic is answered


def _anchored(
    scored: Scored, topics: Mapping[str, float], names: Mapping[str, float], out_of_scope: float
) -> bool:
    slug = scored.candidate.slug
    if out_of_scope >= DOUBTFUL_SCOPE:  # the NLU thinks it is not ours: only a topic named clearly
        return names.get(slug, 0.0) >= NAME_MIN
    return max(topics.get(slug, 0.0), names.get(slug, 0.0)) >= ANCHOR_MIN


_HOW_TO_SYLLABLES = frozenset(
    syllable for wording in FIELD_WORDINGS[STEPS] for syllable in fold(wording).split()
) | {"nao", "the", "sao", "nhu", "gi", "phai", "can", "muon"}


# Pairs of syllables that ask for a fact, whatever the topic (folded).
_FACT_CUES = (
    "o dau", "bao lau", "bao nhieu", "le phi", "mat phi", "mat tien", "giay to", "ho so", "may ngay",
    "co phai", "bi phat", "duoc khong", "co duoc", "co can", "tuoi", "het han", "thoi han",
)  # fmt: skip


def _plain_how_to(
    index: AnswerIndex, text: str, topics: Mapping[str, float], names: Mapping[str, float]
) -> Optional[str]:
    """The topic of "<topic>?" or "how do I <topic>?" when the message asks nothing more specific."""
    if any(cue in " ".join(syllables(text)) for cue in _FACT_CUES):
        return None  # "… ở đâu", "… bao lâu": a fact is asked
    candidates = [slug for slug in names if names[slug] >= NAME_MIN]
    lead = max(topics, key=lambda slug: topics[slug]) if topics else None
    if lead and topics[lead] >= TOPIC_MIN:
        candidates.insert(0, lead)
    words = [w for w in syllables(text) if w not in _FILLER and w not in _HOW_TO_SYLLABLES]
    for slug in candidates:
        if sum(w not in index.name_syllables[slug] for w in words) <= 1:
            return slug
    return None


@dataclass(frozen=True)
class Decision:
    kind: str
    slug: Optional[str] = None
    picks: Tuple[Scored, ...] = ()


def decide(index: AnswerIndex, text: str, topics: Mapping[str, float], out_of_scope: float = 0.0) -> Decision:
    """Direct answers, the walkthrough of one topic, a decline, or unsure (ask back)."""
    names = index.name_matches(text)
    ranked = index.rank(text, topics, limit=20, names=names)
    how_to = _plain_how_to(index, text, topics, names)
    if how_to is not None:
        return Decision(WALKTHROUGH, how_to)
    # Two words with no question in them ("tài khoản?") ask nothing an answer could match.
    words = [w for w in syllables(text) if w not in _FILLER]
    if len(words) <= 2 and not any(cue in " ".join(words) for cue in _FACT_CUES):
        ranked = []
    picks: List[Scored] = []
    answered: Dict[int, List[Scored]] = {}  # clause -> its answers, best first
    for scored in ranked:
        if scored.total < ANSWER_MIN or len(picks) == MAX_ANSWERS:
            break
        mine = answered.get(scored.clause)
        if mine:
            # Nearly as good an answer of the same topic to the same question: give both
            # ("có mất phí không" may be asked of the card or of its delivery), never more.
            first = mine[0]
            close = (
                first.candidate.slug == scored.candidate.slug and scored.total >= CLOSE_SECOND * first.total
            )
            if len(mine) == 1 and close and scored.candidate.kind != STEPS:
                if _anchored(scored, topics, names, out_of_scope):
                    picks.append(scored)
                    mine.append(scored)
            continue
        # The message must name the answer's topic, or the NLU place it there: "có bị phạt
        # không" alone, in a question about a loan, is not about residence registration.
        if not _anchored(scored, topics, names, out_of_scope):
            continue
        if scored.candidate.kind == STEPS:
            if not picks:  # "how do I …" before anything else: the walkthrough is the answer
                return Decision(WALKTHROUGH, scored.candidate.slug)
            continue
        # A further answer must be about the topic of the first, or asked as clearly.
        if picks and scored.candidate.slug != picks[0].candidate.slug and scored.total < picks[0].total:
            continue
        picks.append(scored)
        answered[scored.clause] = [scored]
    if picks:
        picks.sort(key=lambda s: s.clause)  # stable: the better of two for one question first
        return Decision(ANSWER, picks[0].candidate.slug, tuple(picks))
    lead = max(topics, key=lambda slug: topics[slug]) if topics else None
    lead_confidence = topics[lead] if lead else 0.0
    if out_of_scope >= OUT_OF_SCOPE_MIN and out_of_scope >= OUT_OF_SCOPE_MARGIN * lead_confidence:
        return Decision(DECLINE)
    if lead and (lead_confidence >= TOPIC_MIN or names.get(lead, 0.0) >= NAME_MIN):
        return Decision(WALKTHROUGH, lead)
    named = max(names, key=lambda slug: names[slug]) if names else None
    if named and names[named] >= NAME_MIN:
        return Decision(WALKTHROUGH, named)
    # A long message that names none of our topics, and that the NLU does not place in one,
    # is about something else; a short one may be a fragment worth asking back about.
    long = len(syllables(text)) >= LONG_MESSAGE
    if long and lead_confidence < TOPIC_MIN and (not named or names[named] < NOTHING_NAMED):
        return Decision(DECLINE)
    return Decision(UNSURE)
