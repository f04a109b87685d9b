"""Read and validate the procedure files in data/kb/procedures/*.yml.

Every problem is reported as (file, field, reason); all files are checked before
anything is raised, so one run shows every mistake.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple
from urllib.parse import urlsplit

import yaml

from bot.links import OFFICIAL_DOMAINS, is_official
from bot.text import fold

# Allowed values of `category`; the one place to add a new one.
CATEGORIES = ("vneid", "can_cuoc", "dich_vu_cong", "buu_dien", "an_toan")

FIELDS = (
    "slug",
    "intent",
    "title",
    "aliases",
    "category",
    "summary",
    "where",
    "steps",
    "papers",
    "fee",
    "processing_time",
    "legal_basis",
    "official_links",
    "sources",
    "last_reviewed",
)
# May be left out. `family` groups variants of one task (e.g. registering a VNeID
# account); `level` is the VNeID account level (1 or 2) a variant is about.
# `questions` holds the questions people really ask about the entry, each with a short answer.
# `review_by` is the day a known rule of the entry ends (a fee cut, a transitional period).
OPTIONAL_FIELDS = ("family", "level", "questions", "review_by")
LEVELS = (1, 2)
_ALL_FIELDS = FIELDS + OPTIONAL_FIELDS
_TEXT_FIELDS = ("slug", "intent", "title", "category", "summary", "where", "fee", "processing_time")
# Shown inside a sentence ("Nơi làm: {where}. Lệ phí: {fee}.") that adds its own full stop.
_PHRASE_FIELDS = ("where", "fee")
# field -> (minimum count, what one item is called in messages)
_LIST_FIELDS = {
    "aliases": (1, "alias"),
    "steps": (1, "step"),
    "papers": (0, "paper"),
    "legal_basis": (1, "legal basis"),
}
# Replies link only to official sites (bot/links.py), so every entry needs one.
_LINK_FIELDS = {"official_links": (1, "official link"), "sources": (1, "source")}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INTENT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_ALIAS_LENGTH = 100  # aliases are stored in an indexed VARCHAR(255) column
FILE = "(file)"  # the field named for problems with the file as a whole
# Everything in a field reaches citizens: editors' remarks go in YAML comments (matched folded).
EDITOR_NOTE = re.compile(
    r"\b(?:todo|fixme|tbd)\b|chung toi chua (?:kiem chung|xac minh|kiem tra)|chua kiem chung duoc"
    r"|ghi chu (?:bien tap|cho nguoi soan)|\[(?:can|chua) (?:xac minh|kiem tra)"
)


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Answer:
    """A question people ask about a procedure (in several wordings) and its short answer."""

    ask: tuple[str, ...]
    answer: str
    source: str
    last_reviewed: datetime.date


# Limits of a question item: a few wordings, and an answer an elderly reader takes in at once.
MAX_ASKS = 12
MAX_ASK_LENGTH = 200
MAX_ANSWER_LENGTH = 450
MAX_ANSWER_SENTENCES = 3
_ANSWER_FIELDS = ("ask", "answer", "source", "last_reviewed")
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


@dataclass(frozen=True)
class Procedure:
    """One procedure as plain data: what content files hold and what queries return."""

    slug: str
    intent: str
    title: str
    category: str
    summary: str
    where: str
    steps: tuple[str, ...]
    papers: tuple[str, ...]
    fee: str
    processing_time: str
    legal_basis: tuple[str, ...]
    official_links: tuple[Link, ...]
    sources: tuple[Link, ...]
    last_reviewed: datetime.date
    family: str | None = None
    level: int | None = None
    questions: tuple[Answer, ...] = ()
    review_by: datetime.date | None = None


@dataclass(frozen=True)
class Entry:
    """A validated content file: the procedure, the aliases it is also known by, its file."""

    procedure: Procedure
    aliases: tuple[str, ...]
    file: str


class ContentIssue(NamedTuple):
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class ContentError(Exception):
    """The content has mistakes; ``errors`` lists every one as (file, field, reason)."""

    def __init__(self, errors: Iterable[ContentIssue]):
        self.errors = list(errors)
        lines = "\n".join(str(e) for e in self.errors)
        super().__init__(f"{len(self.errors)} error(s) in the KB content:\n{lines}")


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (we parse them strictly) and rejects repeated keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


# Without this, PyYAML turns 2026-13-01 into a crash and 2026-1-5 into a date.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)


def _kind(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


class _FileCheck:
    """Checks one file, collecting issues instead of stopping at the first."""

    def __init__(self, file: str, today: datetime.date):
        self.file = file
        self.today = today
        self.issues: list[ContentIssue] = []

    def fail(self, field: str, reason: str) -> None:
        self.issues.append(ContentIssue(self.file, field, reason))

    def text(self, value: Any, field: str) -> str | None:
        if not isinstance(value, str):
            self.fail(field, f"expected text, got {_kind(value)}")
            return None
        text = value.strip()
        if not text:
            self.fail(field, "must not be empty")
            return None
        if not unicodedata.is_normalized("NFC", text):
            self.fail(field, "text is not in Unicode NFC form; save the file as NFC")
            return None
        note = EDITOR_NOTE.search(fold(text))
        if note:
            self.fail(
                field, f"reads like a note to editors ({note.group(0)!r}); keep such notes in YAML comments"
            )
            return None
        return text

    def items(
        self, value: Any, field: str, minimum: int, what: str, check: Callable[[Any, str], Any]
    ) -> tuple | None:
        if not isinstance(value, list):
            self.fail(field, f"expected a list of {what} entries, got {_kind(value)}")
            return None
        if len(value) < minimum:
            self.fail(field, f"at least one {what} is required")
            return None
        before = len(self.issues)
        out = tuple(check(item, f"{field}[{i}]") for i, item in enumerate(value))
        return out if len(self.issues) == before else None

    def link(self, value: Any, field: str) -> Link | None:
        if not isinstance(value, dict):
            self.fail(field, f"expected a mapping with title and url, got {_kind(value)}")
            return None
        for key in sorted(set(value) - {"title", "url"}, key=str):
            self.fail(f"{field}.{key}", "unknown field; a link has only title and url")
        for key in ("title", "url"):
            if key not in value:
                self.fail(f"{field}.{key}", "this field is required")
        title = self.text(value.get("title"), f"{field}.title") if "title" in value else None
        url = self.url(value.get("url"), f"{field}.url") if "url" in value else None
        return Link(title, url) if title and url else None

    def url(self, value: Any, field: str) -> str | None:
        url = self.text(value, field)
        if url is None:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            self.fail(field, f"expected an http:// or https:// URL, got {url!r}")
            return None
        return url

    def answer(self, value: Any, field: str) -> Answer | None:
        if not isinstance(value, dict):
            self.fail(field, f"expected a mapping with {', '.join(_ANSWER_FIELDS)}, got {_kind(value)}")
            return None
        before = len(self.issues)
        for key in sorted(set(value) - set(_ANSWER_FIELDS), key=str):
            self.fail(f"{field}.{key}", f"unknown field; a question has only {', '.join(_ANSWER_FIELDS)}")
        for key in _ANSWER_FIELDS:
            if key not in value:
                self.fail(f"{field}.{key}", "this field is required")
        asks = value.get("ask")
        if "ask" in value:
            asks = self.items(asks, f"{field}.ask", 1, "wording", self.text)
            if asks is not None and len(asks) > MAX_ASKS:
                self.fail(f"{field}.ask", f"at most {MAX_ASKS} wordings")
            for i, ask in enumerate(asks or ()):
                if len(ask) > MAX_ASK_LENGTH:
                    self.fail(f"{field}.ask[{i}]", f"is longer than {MAX_ASK_LENGTH} characters")
        text = self.text(value.get("answer"), f"{field}.answer") if "answer" in value else None
        if text is not None and len(text) > MAX_ANSWER_LENGTH:
            self.fail(
                f"{field}.answer", f"is longer than {MAX_ANSWER_LENGTH} characters; keep it to the fact"
            )
        elif text is not None and len(_SENTENCE_END.findall(text)) > MAX_ANSWER_SENTENCES:
            self.fail(f"{field}.answer", f"has more than {MAX_ANSWER_SENTENCES} sentences")
        source = self.url(value.get("source"), f"{field}.source") if "source" in value else None
        day = (
            self.date(value.get("last_reviewed"), f"{field}.last_reviewed")
            if "last_reviewed" in value
            else None
        )
        if len(self.issues) > before or not (asks and text and source and day):
            return None
        return Answer(tuple(asks), text, source, day)

    def date(self, value: Any, field: str, future: bool = False) -> datetime.date | None:
        """A YYYY-MM-DD day; not after today unless ``future`` (a deadline may lie ahead)."""
        raw = value if isinstance(value, str) else repr(value)
        try:
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                raise ValueError
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            self.fail(field, f"expected a date written YYYY-MM-DD, got {raw!r}")
            return None
        # One day of slack: a reviewer in Vietnam (UTC+7) is ahead of a machine on UTC.
        if not future and day > self.today + datetime.timedelta(days=1):
            self.fail(field, f"{day.isoformat()} is in the future (today is {self.today.isoformat()})")
            return None
        return day


def _check_fields(doc: dict, stem: str, check: _FileCheck) -> dict[str, Any]:
    """Field-by-field checks; returns the values that passed."""
    for key in doc:
        if key not in _ALL_FIELDS:
            hint = difflib.get_close_matches(str(key), _ALL_FIELDS, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            check.fail(str(key), f"unknown field{suggestion}; allowed: {', '.join(_ALL_FIELDS)}")
    good: dict[str, Any] = {}
    for field in FIELDS:
        if field not in doc:
            check.fail(field, "this field is required")
            continue
        value = doc[field]
        if field in _TEXT_FIELDS:
            result = check.text(value, field)
        elif field in _LIST_FIELDS:
            minimum, what = _LIST_FIELDS[field]
            result = check.items(value, field, minimum, what, check.text)
        elif field in _LINK_FIELDS:
            minimum, what = _LINK_FIELDS[field]
            result = check.items(value, field, minimum, what, check.link)
        else:
            result = check.date(value, field)
        if result is not None:
            good[field] = result

    for i, link in enumerate(doc.get("official_links") or ()):
        url = link.get("url") if isinstance(link, dict) else None
        if isinstance(url, str) and url.startswith(("http://", "https://")) and not is_official(url):
            check.fail(
                f"official_links[{i}].url",
                f"{url} is not an official site ({', '.join('*.' + d for d in OFFICIAL_DOMAINS)}); "
                "cite it under sources instead",
            )
    slug = good.get("slug")
    if slug is not None and not SLUG_RE.match(slug):
        check.fail("slug", f"must be kebab-case ASCII (a-z, 0-9, single hyphens), got {slug!r}")
        good.pop("slug")
    elif slug is not None and slug != stem:
        check.fail("slug", f"must match the file name: the file is {stem}.yml but slug is {slug!r}")
    intent = good.get("intent")
    if intent is not None and not INTENT_RE.match(intent):
        check.fail("intent", f"must be a Rasa intent name (a-z, 0-9, _), got {intent!r}")
        good.pop("intent")
    if good.get("category") is not None and good["category"] not in CATEGORIES:
        check.fail("category", f"must be one of {', '.join(CATEGORIES)}; got {good['category']!r}")
    for field in _PHRASE_FIELDS:
        if good.get(field, "").endswith("."):
            check.fail(field, "must not end with a full stop; the bot's reply adds one")
    _check_variant(doc, check, good)
    if "questions" in doc:
        questions = check.items(doc["questions"], "questions", 0, "question", check.answer)
        if questions is not None:
            good["questions"] = questions
    if "review_by" in doc:
        review_by = check.date(doc["review_by"], "review_by", future=True)
        reviewed = good.get("last_reviewed")
        if review_by is not None and reviewed is not None and review_by <= reviewed:
            check.fail(
                "review_by", f"{review_by.isoformat()} is not after last_reviewed {reviewed.isoformat()}"
            )
        elif review_by is not None:
            good["review_by"] = review_by
    aliases = good.get("aliases") or ()
    seen: dict[str, int] = {}
    for i, alias in enumerate(aliases):
        if len(alias) > MAX_ALIAS_LENGTH:
            check.fail(f"aliases[{i}]", f"is longer than {MAX_ALIAS_LENGTH} characters")
        elif fold(alias) in seen:
            check.fail(f"aliases[{i}]", f"repeats aliases[{seen[fold(alias)]}] {alias!r}")
        seen.setdefault(fold(alias), i)
    return good


def _check_variant(doc: dict, check: _FileCheck, good: dict[str, Any]) -> None:
    """The optional `family` and `level`; valid values go into ``good``."""
    if "family" in doc:
        family = check.text(doc["family"], "family")
        if family is not None and not SLUG_RE.match(family):
            check.fail("family", f"must be kebab-case ASCII (a-z, 0-9, single hyphens), got {family!r}")
        elif family is not None:
            good["family"] = family
    if "level" in doc:
        level = doc["level"]
        allowed = " or ".join(str(n) for n in LEVELS)
        if not isinstance(level, int) or isinstance(level, bool):
            check.fail("level", f"expected the number {allowed}, got {_kind(level)}")
        elif level not in LEVELS:
            check.fail("level", f"must be {allowed} (the VNeID account level), got {level}")
        elif "family" not in doc:
            check.fail("level", "needs `family`: the level tells apart variants of one family")
        elif "family" in good:  # a bad family is reported once, above
            good["level"] = level


def _read(path: Path, check: _FileCheck) -> dict | None:
    try:
        doc = yaml.load(path.read_bytes().decode("utf-8"), Loader=_Loader)
    except UnicodeDecodeError:
        check.fail(FILE, "is not UTF-8 text")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        check.fail(FILE, f"invalid YAML{where}: {exc.problem}")
        return None
    except yaml.YAMLError as exc:
        check.fail(FILE, f"invalid YAML: {exc}")
        return None
    if doc is None:
        check.fail(FILE, "the file is empty; expected a mapping of fields")
        return None
    if not isinstance(doc, dict):
        check.fail(FILE, f"expected a mapping of fields at the top level, got {_kind(doc)}")
        return None
    return doc


def _display(path: Path) -> str:
    """The path as the user typed it from the repo: relative to the working directory if possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _shown(field: str, key: object) -> str:
    if field == "aliases":
        return f"alias {key!r} (ignoring case and accents)"
    if field == "level" and isinstance(key, tuple):
        return f"level {key[1]} of family {key[0]!r}"
    return repr(key)


def _check_unique(found: list[tuple[str, str, dict[str, Any]]]) -> list[ContentIssue]:
    """Slugs, intents, aliases (folded) and (family, level) pairs must not repeat across files."""
    issues = []
    owners: dict[tuple[str, object], str] = {}
    # A file whose slug matches its name owns that slug: the copy is the one to blame.
    for file, _, good in sorted(found, key=lambda f: f[2].get("slug") != f[1]):
        keys: list[tuple[str, object]] = [("slug", good.get("slug")), ("intent", good.get("intent"))]
        keys += [("aliases", fold(a)) for a in good.get("aliases") or ()]
        if good.get("level") is not None:  # a valid level always comes with a valid family
            keys.append(("level", (good.get("family"), good["level"])))
        for field, key in keys:
            if key is None:
                continue
            owner = owners.setdefault((field, key), file)
            if owner != file:
                issues.append(ContentIssue(file, field, f"{_shown(field, key)} is already used by {owner}"))
    return sorted(issues)


def load_content(content_dir: Path, today: datetime.date | None = None) -> list[Entry]:
    """Validate every procedure file under ``content_dir/procedures``; raise ContentError on any mistake."""
    today = today or datetime.date.today()
    folder = Path(content_dir) / "procedures"
    if not folder.is_dir():
        raise ContentError([ContentIssue(_display(folder), FILE, "the procedures folder does not exist")])
    paths = sorted(folder.glob("*.yml"))
    if not paths:
        raise ContentError([ContentIssue(_display(folder), FILE, "no procedure files (*.yml) found")])

    issues: list[ContentIssue] = []
    found: list[tuple[str, str, dict[str, Any]]] = []
    for path in paths:
        check = _FileCheck(_display(path), today)
        doc = _read(path, check)
        good = _check_fields(doc, path.stem, check) if doc is not None else {}
        issues += check.issues
        found.append((check.file, path.stem, good))
    issues += _check_unique(found)
    if issues:
        raise ContentError(sorted(issues, key=lambda i: i.file))  # stable: keeps field order
    return [_entry(file, good) for file, _, good in found]


def _entry(file: str, good: dict[str, Any]) -> Entry:
    fields = {k: v for k, v in good.items() if k != "aliases"}
    return Entry(procedure=Procedure(**fields), aliases=good["aliases"], file=file)
