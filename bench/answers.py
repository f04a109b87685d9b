"""Do the replies to real citizens' questions carry the facts a correct answer needs?

The questions in ``tests/answers/*.yml`` were copied from public pages (each with its URL and
date); each carries the facts a correct answer must contain, written from the source's own
answer before the assistant was run on it, or ``expect: decline`` for a question outside
the assistant's scope (see tests/answers/README.md). Each question goes to Rasa's REST
channel in a conversation of its own, as written and without diacritics.

A reply *carries the facts* when its text, folded (lower case, no diacritics), contains one
alternative of every group. It is an *ask-back* when it is the "did you mean" or "which of
these" response, and a *decline* when it is the out-of-scope or "I did not understand"
response: both are recognised from domain.yml's own templates.

``python -m bench.answers [--split dev|test|all]`` starts the stack (or uses ``--rasa-url``)
and prints the report; ``tests/e2e/test_real_questions.py`` holds the floors.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import re
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import aiohttp
import yaml

from bot.settings import ROOT
from bot.text import fold, strip_diacritics

QUESTIONS_DIR = ROOT / "tests" / "answers"
DOMAIN = ROOT / "domain.yml"
SPLITS = ("dev", "test")
# Responses that ask back instead of answering, and those that decline.
ASK_BACK = ("utter_confirm_topic", "utter_suggest_procedures")
DECLINE = ("utter_out_of_scope", "utter_default")
VARIANTS = ("as written", "no diacritics")


@dataclass(frozen=True)
class Question:
    text: str
    url: str
    date: Optional[str]
    topic: str  # a KB slug, or "none" for out of scope
    expect: Optional[Tuple[Tuple[str, ...], ...]]  # None: the reply should decline
    file: str

    @property
    def split(self) -> str:
        return split_of(self.text)

    @property
    def in_scope(self) -> bool:
        return self.expect is not None


def split_of(text: str) -> str:
    """dev or test, fixed once by a hash of the question (its own salt, not the masking set's)."""
    digest = hashlib.sha1(("answers\n" + unicodedata.normalize("NFC", text)).encode("utf-8")).hexdigest()
    return SPLITS[int(digest, 16) % 2]


def load_questions(folder: Path = QUESTIONS_DIR, split: str = "all") -> List[Question]:
    """Every question of ``folder``'s YAML files (first copy wins), in file order."""
    questions: List[Question] = []
    seen = set()
    for path in sorted(folder.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            text = unicodedata.normalize("NFC", str(item["question"]).strip())
            if text in seen:
                continue
            seen.add(text)
            expect = item["expect"]
            groups = None if expect == "decline" else tuple(tuple(str(a) for a in group) for group in expect)
            date = item.get("date")
            questions.append(
                Question(text, item["url"], str(date) if date else None, item["topic"], groups, path.name)
            )
    return [q for q in questions if split in ("all", q.split)]


def has_facts(reply: str, expect: Sequence[Sequence[str]]) -> bool:
    folded = fold(reply)
    return all(any(fold(alternative) in folded for alternative in group) for group in expect)


def _template_pattern(text: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", fold(text))
    return re.compile(".*?".join(re.escape(part) for part in parts), re.DOTALL)


def response_patterns(domain: Path = DOMAIN) -> Dict[str, List[re.Pattern[str]]]:
    """Folded patterns of the ask-back and decline responses, from domain.yml."""
    responses = yaml.safe_load(domain.read_text(encoding="utf-8"))["responses"]

    def patterns(names: Iterable[str]) -> List[re.Pattern[str]]:
        return [_template_pattern(v["text"]) for name in names for v in responses[name] if "text" in v]

    return {"ask_back": patterns(ASK_BACK), "decline": patterns(DECLINE)}


def kind_of(texts: List[str], patterns: Dict[str, List[re.Pattern[str]]]) -> str:
    """answer, ask_back or decline: what the first message of the reply is."""
    if not texts:
        return "silent"
    first = fold(texts[0])
    for kind in ("ask_back", "decline"):
        if any(p.fullmatch(first) for p in patterns[kind]):
            return kind
    return "answer"


@dataclass(frozen=True)
class Outcome:
    question: Question
    variant: str
    texts: Tuple[str, ...]
    kind: str

    @property
    def passed(self) -> bool:
        if self.question.expect is None:
            return self.kind == "decline"
        return self.kind == "answer" and has_facts("\n".join(self.texts), self.question.expect)


async def _ask(session: aiohttp.ClientSession, rasa_url: str, text: str) -> List[str]:
    sender = f"answers-{uuid.uuid4().hex}"
    async with session.post(
        f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
    ) as response:
        response.raise_for_status()
        messages: List[Dict[str, Any]] = await response.json()
    return [m["text"] for m in messages if isinstance(m.get("text"), str)]


async def _ask_all(rasa_url: str, texts: List[str], concurrency: int) -> List[List[str]]:
    limit = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def one(text: str) -> List[str]:
            async with limit:
                return await _ask(session, rasa_url, text)

        return await asyncio.gather(*(one(text) for text in texts))


def evaluate(rasa_url: str, questions: List[Question], concurrency: int = 4) -> List[Outcome]:
    """Ask every question as written and without diacritics; one conversation each."""
    patterns = response_patterns()
    outcomes: List[Outcome] = []
    for variant in VARIANTS:
        texts = [q.text if variant == VARIANTS[0] else strip_diacritics(q.text) for q in questions]
        replies = asyncio.run(_ask_all(rasa_url, texts, concurrency))
        for question, reply in zip(questions, replies, strict=True):
            outcomes.append(Outcome(question, variant, tuple(reply), kind_of(reply, patterns)))
    return outcomes


@dataclass(frozen=True)
class Summary:
    variant: str
    in_scope: int
    with_facts: int
    ask_backs: int
    out_of_scope: int
    declined: int

    @property
    def fact_rate(self) -> float:
        return self.with_facts / self.in_scope if self.in_scope else 0.0

    @property
    def ask_back_rate(self) -> float:
        return self.ask_backs / self.in_scope if self.in_scope else 0.0

    @property
    def decline_rate(self) -> float:
        return self.declined / self.out_of_scope if self.out_of_scope else 0.0


def summarise(outcomes: List[Outcome], variant: str) -> Summary:
    mine = [o for o in outcomes if o.variant == variant]
    inside = [o for o in mine if o.question.in_scope]
    outside = [o for o in mine if not o.question.in_scope]
    return Summary(
        variant,
        len(inside),
        sum(o.passed for o in inside),
        sum(o.kind == "ask_back" for o in inside),
        len(outside),
        sum(o.passed for o in outside),
    )


def _short(text: str, size: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def markdown(outcomes: List[Outcome], split: str) -> str:
    summaries = [summarise(outcomes, v) for v in VARIANTS]
    lines = [
        f"## Answers to real questions ({split} split)",
        "",
        "| | " + " | ".join(VARIANTS) + " |",
        "|---|" + "---|" * len(VARIANTS),
        "| answers with the facts | "
        + " | ".join(f"**{s.fact_rate:.1%}** ({s.with_facts}/{s.in_scope})" for s in summaries)
        + " |",
        "| ask-backs (in scope) | "
        + " | ".join(f"{s.ask_back_rate:.1%} ({s.ask_backs})" for s in summaries)
        + " |",
        "| out of scope declined | "
        + " | ".join(f"{s.decline_rate:.1%} ({s.declined}/{s.out_of_scope})" for s in summaries)
        + " |",
        "",
        "| topic | " + " | ".join(VARIANTS) + " |",
        "|---|" + "---|" * len(VARIANTS),
    ]
    per_topic: Dict[Tuple[str, str], List[int]] = {}
    for o in outcomes:
        counts = per_topic.setdefault((o.question.topic, o.variant), [0, 0])
        counts[0] += o.passed
        counts[1] += 1
    for topic in sorted({t for t, _ in per_topic}):
        cells = [per_topic.get((topic, v), [0, 0]) for v in VARIANTS]
        lines.append(f"| {topic} | " + " | ".join(f"{ok}/{n}" for ok, n in cells) + " |")
    failed = Counter(o.question for o in outcomes if not o.passed)
    worst = [q for q, n in failed.items() if n == len(VARIANTS)]
    kinds = Counter(o.kind for o in outcomes if not o.passed and o.question in worst)
    lines += ["", f"Failed both ways: {len(worst)} ({', '.join(f'{k} {n}' for k, n in kinds.items())})", ""]
    lines.append("Ten worst (failed as written and without diacritics):")
    by_question = {(o.question, o.variant): o for o in outcomes}
    for question in worst[:10]:
        outcome = by_question[(question, VARIANTS[0])]
        want = "decline" if question.expect is None else " + ".join("/".join(g) for g in question.expect)
        lines.append(
            f"- [{question.topic}] {_short(question.text)}\n  wants: {want}\n"
            f"  got ({outcome.kind}): {_short(' | '.join(outcome.texts))}"
        )
    return "\n".join(lines)


def selection_times(questions: List[Question]) -> Dict[str, float]:
    """Answer selection alone (bot.kb.answers.decide) on every question, in milliseconds."""
    import time

    from bench.load import percentile
    from bot.kb.answers import AnswerIndex, decide
    from bot.kb.queries import KnowledgeBase
    from bot.settings import load_settings

    kb = KnowledgeBase.from_url(load_settings().kb_url)
    try:
        started = time.perf_counter()
        index = AnswerIndex(kb.all(), kb.aliases())
        built = (time.perf_counter() - started) * 1000
    finally:
        kb.engine.dispose()
    times = []
    for question in questions:
        for text in (question.text, strip_diacritics(question.text)):
            started = time.perf_counter()
            decide(index, text, {})
            times.append((time.perf_counter() - started) * 1000)
    return {
        "index_ms": round(built, 1),
        "p50_ms": round(percentile(times, 0.50), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "candidates": len(index.candidates),
    }


def run(quick: bool = False) -> Dict[str, Any]:
    """make bench's answers part: both splits through the stack, and selection time."""
    from bench.stack import running_stack

    splits = ("dev",) if quick else SPLITS
    out: Dict[str, Any] = {"splits": {}}
    with running_stack() as stack:
        url = f"http://127.0.0.1:{stack.settings.rasa_port}"
        for split in splits:
            outcomes = evaluate(url, load_questions(split=split))
            out["splits"][split] = {
                "summaries": [summarise(outcomes, v).__dict__ for v in VARIANTS],
                "report": markdown(outcomes, split),
            }
    out["selection"] = selection_times(load_questions())
    return out


def to_markdown(result: Dict[str, Any]) -> str:
    lines = [
        "| split | variant | with the facts | ask-backs | out of scope declined |",
        "|---|---|---|---|---|",
    ]
    for split, found in result["splits"].items():
        for s in found["summaries"]:
            m = Summary(**s)
            facts = f"{m.fact_rate:.1%} ({m.with_facts}/{m.in_scope})"
            declined = f"{m.decline_rate:.1%} ({m.declined}/{m.out_of_scope})"
            lines.append(f"| {split} | {m.variant} | {facts} | {m.ask_back_rate:.1%} | {declined} |")
    sel = result["selection"]
    lines += [
        "",
        f"Answer selection alone ({sel['candidates']} candidates): p50 {sel['p50_ms']} ms, "
        f"p95 {sel['p95_ms']} ms per message; index built in {sel['index_ms']} ms.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="dev")
    parser.add_argument("--rasa-url", help="a running Rasa server (default: start the stack)")
    parser.add_argument("--out", type=Path, help="also write the report here")
    args = parser.parse_args()
    questions = load_questions(split=args.split)
    if args.rasa_url:
        outcomes = evaluate(args.rasa_url.rstrip("/"), questions)
    else:
        from bench.stack import running_stack

        with running_stack() as stack:
            outcomes = evaluate(f"http://127.0.0.1:{stack.settings.rasa_port}", questions)
    report = markdown(outcomes, args.split)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
