"""Topic accuracy of a trained model on the held-out set (tests/nlu/heldout.yml).

``python -m bench.heldout [--model M]`` prints per-intent accuracy on the set as written
and on its copy without diacritics; ``make test`` enforces the thresholds.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.settings import ROOT
from bot.text import strip_diacritics

HELDOUT_DIR = ROOT / "tests" / "nlu"
FALLBACK = "nlu_fallback"


def load_heldout(folder: Path = HELDOUT_DIR) -> List[Tuple[str, str]]:
    """(text, intent) pairs from every heldout*.yml (the topics, then later additions)."""
    pairs = []
    for path in sorted(folder.glob("heldout*.yml")):
        intents = yaml.safe_load(path.read_text(encoding="utf-8"))["intents"]
        pairs += [(text, intent) for intent, texts in intents.items() for text in texts]
    return pairs


def unaccented(pairs: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    return [(strip_diacritics(text), intent) for text, intent in pairs]


def predicted_topic(parse: dict) -> Tuple[str, bool]:
    """The best intent other than the fallback, and whether the fallback was raised."""
    ranking = [r for r in parse.get("intent_ranking") or [] if r["name"] != FALLBACK]
    fell_back = parse["intent"]["name"] == FALLBACK
    return (ranking[0]["name"] if ranking else FALLBACK), fell_back


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    fallbacks: int = 0  # asked back instead of answering
    confident_wrong: int = 0  # answered, and wrongly
    per_intent: Dict[str, List[int]] = field(default_factory=dict)  # intent -> [correct, total]
    confusions: Counter = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def add(self, want: str, got: str, fell_back: bool) -> None:
        self.total += 1
        counts = self.per_intent.setdefault(want, [0, 0])
        counts[1] += 1
        if got == want:
            self.correct += 1
            counts[0] += 1
        else:
            self.confusions[(want, got)] += 1
        if fell_back:
            self.fallbacks += 1
        elif got != want:
            self.confident_wrong += 1


def evaluate(agent, pairs: List[Tuple[str, str]]) -> Report:
    """Parse every text with a loaded ``rasa.core.agent.Agent``."""

    async def parse_all():
        return [await agent.parse_message(text) for text, _ in pairs]

    report = Report()
    for (_, want), parse in zip(pairs, asyncio.run(parse_all()), strict=True):
        got, fell_back = predicted_topic(parse)
        report.add(want, got, fell_back)
    return report


def markdown(reports: Dict[str, Report]) -> str:
    names = list(reports)
    intents = sorted({i for r in reports.values() for i in r.per_intent})
    lines = [
        "| intent | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for intent in intents:
        cells = []
        for name in names:
            ok, n = reports[name].per_intent.get(intent, [0, 0])
            cells.append(f"{ok}/{n}")
        lines.append(f"| {intent} | " + " | ".join(cells) + " |")
    lines.append(
        "| **accuracy** | "
        + " | ".join(
            f"**{r.accuracy:.1%}** (fallback {r.fallbacks}, wrong {r.confident_wrong})"
            for r in reports.values()
        )
        + " |"
    )
    for name, report in reports.items():
        worst = ", ".join(f"{w}→{g} ×{n}" for (w, g), n in report.confusions.most_common(10))
        lines.append(f"\n{name}: worst confusions: {worst or 'none'}")
    return "\n".join(lines)


def main() -> None:
    from rasa.core.agent import Agent

    from bot.train import model_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    agent = Agent.load(str(args.model or model_path(ROOT / "models")))
    pairs = load_heldout()
    print(
        markdown({"as written": evaluate(agent, pairs), "no diacritics": evaluate(agent, unaccented(pairs))})
    )


if __name__ == "__main__":
    main()
