"""The benchmark's bookkeeping (no training, no servers): metrics and the results files."""

from __future__ import annotations

import json

from bench import __main__ as bench_main
from bench.heldout import Report
from bench.nlu_compare import abbreviated, default_config, macro_f1, our_epochs

MACHINE = {
    "cpu": "test cpu", "cores": 2, "memory_gb": 1.0, "os": "Linux", "python": "3.10",
    "packages": {"rasa": "3.6.21"}, "commit": "abc",
}  # fmt: skip


def test_macro_f1_averages_per_intent_f1():
    report = Report()
    for want, got in [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]:
        report.add(want, got, False)
    # a: precision 1, recall 1/2 -> 2/3; b: precision 2/3, recall 1 -> 4/5
    assert abs(macro_f1(report, ["a", "b"]) - (2 / 3 + 4 / 5) / 2) < 1e-9


def test_the_default_pipeline_trains_as_long_as_ours():
    config = default_config(our_epochs())
    names = [c["name"] for c in config["pipeline"]]
    assert names[0] == "WhitespaceTokenizer" and "DIETClassifier" in names
    diet = next(c for c in config["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["epochs"] == our_epochs()


def test_the_abbreviation_subset_needs_an_unmarked_abbreviation():
    pairs = [("dk tạm trú ở đâu", "x"), ("đăng ký tạm trú", "x"), ("cccd bị mất", "y")]
    assert abbreviated(pairs) == [pairs[0], pairs[2]]


def test_parts_run_on_the_same_day_share_one_file(tmp_path):
    first = {"nlu": {"result": {}, "markdown": "NLU TABLE", "seconds": 5}}
    bench_main.write(first, MACHINE, quick=False, folder=tmp_path)
    second = {"load": {"error": "boom", "seconds": 1}}
    md = bench_main.write(second, MACHINE, quick=False, folder=tmp_path)
    text = md.read_text(encoding="utf-8")
    assert "NLU TABLE" in text and "Failed: boom" in text and "test cpu, 2 cores" in text
    data = json.loads(md.with_suffix(".json").read_text(encoding="utf-8"))
    assert list(data["parts"]) == ["nlu", "load"]


def test_setup_cost_judges_the_training_goal():
    from bench import setup_cost

    quick = {"steps_s": {"venv": 80.0, "kb": 4.0, "train": 180.0}, "total_s": 264.0, "venv_mb": 2900}
    text = setup_cost.to_markdown(quick)
    assert "**4.4 min**" in text and "| training our model ≤ 5 min | 180 s | met |" in text
    slow = {**quick, "steps_s": {**quick["steps_s"], "train": 301.0}}
    assert "| 301 s | **missed** |" in setup_cost.to_markdown(slow)
    assert "failed" in setup_cost.to_markdown({"error": "make venv failed: x", "steps_s": {}})
