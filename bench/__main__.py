"""``make bench``: measure the real system and write bench/results/<date>.md and .json.

Parts (all by default; ``--only`` picks some, ``--quick`` checks the plumbing in minutes):
  nlu      our NLU pipeline against Rasa's default on the held-out set (bench.nlu_compare)
  phoatis  the public PhoATIS benchmark, word- and syllable-level (bench.phoatis)
  load     latency under load, RSS, cold start through the whole stack (bench.load)
  setup    set-up from a fresh clone (bench.setup_cost)
  masking  personal-data masking, typical and adversarial messages (bench.masking)
  answers  facts in the answers to real questions, both splits, and answer-selection time (bench.answers)
Not part of `make test`: it takes about 30 minutes and its numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import time
import traceback
from importlib import import_module
from pathlib import Path
from typing import Any, Dict, List

from bench import machine
from bot.settings import ROOT

RESULTS = ROOT / "bench" / "results"
PARTS = {
    "nlu": ("Our NLU against Rasa's default pipeline (held-out set)", "bench.nlu_compare"),
    "phoatis": ("PhoATIS (public benchmark)", "bench.phoatis"),
    "load": ("Latency under load, memory, cold start (whole stack on loopback)", "bench.load"),
    "setup": ("Cost of set-up from a fresh clone", "bench.setup_cost"),
    "masking": ("Personal-data masking (bot.web.pii alone)", "bench.masking"),
    "answers": ("Answers to real citizens' questions (tests/answers)", "bench.answers"),
}


def run_parts(parts: List[str], quick: bool) -> Dict[str, Any]:
    results: Dict[str, Any] = {}
    for part in parts:
        title, module_name = PARTS[part]
        print(f"bench: {title} ...", flush=True)
        started = time.monotonic()
        module = import_module(module_name)
        try:
            result = module.run(quick=quick) if part != "setup" else module.run()
            results[part] = {"result": result, "markdown": module.to_markdown(result)}
        except Exception as exc:  # one broken part must not lose the others' numbers
            results[part] = {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()}
        results[part]["seconds"] = round(time.monotonic() - started)
        results[part]["finished"] = datetime.datetime.now().strftime("%H:%M")
        print(f"bench: {part} done in {results[part]['seconds']} s", flush=True)
    return results


def write(results: Dict[str, Any], described: Dict[str, Any], quick: bool, folder: Path = RESULTS) -> Path:
    """Write <date>.json and .md. Parts run earlier the same day stay: one file per day even
    when the parts are run one at a time (the machine is described per part)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d")
    name = f"{stamp}-quick" if quick else stamp
    json_path = folder / f"{name}.json"
    parts: Dict[str, Any] = {}
    if json_path.exists():
        parts = json.loads(json_path.read_text(encoding="utf-8")).get("parts", {})
    for outcome in results.values():
        outcome["machine"] = described
    parts.update(results)
    ordered = {p: parts[p] for p in PARTS if p in parts}
    payload = {"date": stamp, "quick": quick, "parts": ordered}
    json_path.write_text(json.dumps(payload, indent=1, ensure_ascii=False), encoding="utf-8")
    lines = [f"# Benchmarks {stamp}{' (quick: plumbing only, not comparable)' if quick else ''}", ""]
    for part, outcome in ordered.items():
        lines += [f"## {PARTS[part][0]}", ""]
        lines += [outcome.get("markdown") or f"Failed: {outcome['error']}", ""]
        when = outcome.get("finished", "")
        ran = f"{outcome['seconds']} s" + (f", finished {when}" if when else "")
        lines += [f"_{ran}; {machine.to_markdown(outcome['machine'])}_", ""]
    path = folder / f"{name}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(PARTS), help="run only these parts")
    parser.add_argument("--quick", action="store_true", help="tiny runs that only check the plumbing")
    args = parser.parse_args()
    parts = args.only or list(PARTS)
    if args.quick and "setup" in parts and not args.only:
        parts.remove("setup")  # a fresh clone is never quick
    described = machine.describe()
    path = write(run_parts(parts, args.quick), described, args.quick)
    print(f"bench: wrote {path} and {path.with_suffix('.json')}")


if __name__ == "__main__":
    main()
