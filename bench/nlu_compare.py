"""Our NLU pipeline against Rasa's default one, trained on the same data in the same run.

Both are trained from scratch (a private Rasa cache, so nothing is reused), then parse the
held-out set (tests/nlu/heldout*.yml) as written, without diacritics, and its messages with
abbreviations or teencode. ``python -m bench.nlu_compare`` prints the table.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

from bench.heldout import Report, load_heldout, predicted_topic, unaccented
from bench.parsing import load_agent, parse_timed
from bot.nlu.abbreviations import load_abbreviations
from bot.settings import ROOT

OURS = "ours"
DEFAULT = "rasa_default"


def default_config(epochs: int) -> Dict[str, Any]:
    """Rasa's default pipeline (what `rasa init` writes), DIET at our number of epochs.

    The FallbackClassifier has our threshold so "asked back" counts compare; topic accuracy
    looks past it either way (bench.heldout.predicted_topic).
    """
    return {
        "recipe": "default.v1",
        "language": "vi",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "RegexFeaturizer"},
            {"name": "LexicalSyntacticFeaturizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
            {"name": "DIETClassifier", "epochs": epochs, "constrain_similarities": True},
            {"name": "EntitySynonymMapper"},
            {"name": "FallbackClassifier", "threshold": 0.7, "ambiguity_threshold": 0.1},
        ],
    }


def our_epochs() -> int:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    return next(c["epochs"] for c in pipeline if c["name"] == "DIETClassifier")


def train(config: Path, out: Path, name: str, cache: Path, nlu_only: bool) -> Tuple[Path, float]:
    """Train in a subprocess with its own empty Rasa cache; return the model and seconds."""
    command = [
        sys.executable, "-m", "rasa", "train", *(["nlu"] if nlu_only else []),
        "--config", str(config), "--domain", str(ROOT / "domain.yml"),
        *(["--nlu", str(ROOT / "data" / "nlu")] if nlu_only
          else ["--data", str(ROOT / "data" / "nlu"), str(ROOT / "data" / "stories")]),
        "--out", str(out), "--fixed-model-name", name,
    ]  # fmt: skip
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache), "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"training {name} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return out / f"{name}.tar.gz", seconds


def abbreviated(pairs: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    """The messages that use an abbreviation or teencode from bot/nlu/abbreviations.yml."""
    table = load_abbreviations()
    return [(t, i) for t, i in pairs if any(table.expand(w) for w in re.findall(r"[^\W_]+", t))]


def macro_f1(report: Report, intents: List[str]) -> float:
    scores = []
    for intent in intents:
        tp = report.per_intent.get(intent, [0, 0])[0]
        fn = report.per_intent.get(intent, [0, 0])[1] - tp
        fp = sum(n for (want, got), n in report.confusions.items() if got == intent and want != intent)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def evaluate(model: Path, sets: Dict[str, List[Tuple[str, str]]]) -> Dict[str, Any]:
    """Load the model, parse every set; accuracy, macro F1, confusions and parse times."""
    agent, load_seconds = load_agent(model)

    out: Dict[str, Any] = {"model_mb": round(model.stat().st_size / 1e6, 1), "load_s": round(load_seconds, 1)}
    all_times: List[float] = []
    for name, pairs in sets.items():
        parses, times = parse_timed(agent, [t for t, _ in pairs])
        all_times += times
        report = Report()
        for (_, want), parse in zip(pairs, parses, strict=True):
            report.add(want, *predicted_topic(parse))
        intents = sorted({i for _, i in pairs})
        out[name] = {
            "messages": report.total,
            "accuracy": round(report.accuracy, 4),
            "macro_f1": round(macro_f1(report, intents), 4),
            "fallbacks": report.fallbacks,
            "confident_wrong": report.confident_wrong,
            "worst_confusions": [[w, g, n] for (w, g), n in report.confusions.most_common(10)],
        }
    ordered = sorted(all_times)
    out["parse_ms"] = {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }
    return out


def run(quick: bool = False) -> Dict[str, Any]:
    pairs = load_heldout()
    sets = {"as_written": pairs, "no_diacritics": unaccented(pairs), "abbreviations": abbreviated(pairs)}
    epochs = 2 if quick else our_epochs()
    result: Dict[str, Any] = {"epochs": epochs, "sets": {k: len(v) for k, v in sets.items()}}
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        work = Path(tmp)
        ours = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
        for component in ours["pipeline"]:
            if component["name"] == "DIETClassifier":
                component["epochs"] = epochs
        configs = {OURS: ours, DEFAULT: default_config(epochs)}
        for name, config in configs.items():
            path = work / f"{name}.yml"
            path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
            # Ours is trained whole (NLU and dialogue), as `make train` does: its time is the
            # "train our bot's model" figure. The default pipeline needs NLU only.
            model, seconds = train(path, work / "models", name, work / f"cache-{name}", nlu_only=name != OURS)
            result[name] = {"train_s": round(seconds), **evaluate(model, sets)}
    return result


def to_markdown(result: Dict[str, Any]) -> str:
    names = [OURS, DEFAULT]
    sets = result["sets"]
    lines = [
        f"DIET epochs: {result['epochs']} for both. Held-out messages: "
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sets.items()),
        "",
        "| | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for key in sets:
        lines.append(
            f"| intent accuracy, {key.replace('_', ' ')} | "
            + " | ".join(f"{result[n][key]['accuracy']:.1%}" for n in names)
            + " |"
        )
        lines.append(
            f"| macro F1, {key.replace('_', ' ')} | "
            + " | ".join(f"{result[n][key]['macro_f1']:.3f}" for n in names)
            + " |"
        )
    lines.append(
        "| asked back / confidently wrong (as written) | "
        + " | ".join(
            f"{result[n]['as_written']['fallbacks']} / {result[n]['as_written']['confident_wrong']}"
            for n in names
        )
        + " |"
    )
    lines.append("| entity F1 | " + " | ".join("n/a (no labelled entities)" for _ in names) + " |")
    lines.append(
        "| parse ms p50 / p95 | "
        + " | ".join(f"{result[n]['parse_ms']['p50']} / {result[n]['parse_ms']['p95']}" for n in names)
        + " |"
    )
    lines.append(
        "| training s (ours: whole model) | " + " | ".join(str(result[n]["train_s"]) for n in names) + " |"
    )
    lines.append(
        "| model MB / load s | "
        + " | ".join(f"{result[n]['model_mb']} / {result[n]['load_s']}" for n in names)
        + " |"
    )
    for name in names:
        worst = ", ".join(f"{w}→{g} ×{n}" for w, g, n in result[name]["as_written"]["worst_confusions"])
        lines.append(f"\n{name}, ten worst confusions (as written): {worst or 'none'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 epochs: check the plumbing only")
    args = parser.parse_args()
    print(to_markdown(run(quick=args.quick)))


if __name__ == "__main__":
    main()
