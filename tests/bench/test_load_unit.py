"""The load benchmark's bookkeeping, without servers: /proc parsing, statistics, goals, report."""

from __future__ import annotations

import json
import os
import random

import pytest

from bench import load, stack


def test_stat_line_with_spaces_and_parentheses_in_the_name():
    line = "4242 (python -m (x)) S 17 4242 4242 0 -1 4194560 1 0 0 0 120 35 0 0 20 0 9 0 1 2 3"
    assert stack.parse_stat(line) == (17, 155)


def test_status_memory_lines_in_kb_and_zero_when_missing():
    text = "Name:\tpython\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t9\n"
    assert stack.parse_status_kb(text) == {"VmRSS": 102400, "VmHWM": 204800}
    assert stack.parse_status_kb("Name:\tkworker\n") == {"VmRSS": 0, "VmHWM": 0}


def test_descendants_walk_the_whole_tree():
    children = {1: [10, 11], 10: [100], 100: [1000], 11: []}
    assert sorted(stack.descendants(10, children)) == [10, 100, 1000]
    assert stack.descendants(5, children) == [5]


def test_usage_of_this_very_process_reads_proc():
    mine = stack.usage({"me": os.getpid()})["me"]
    assert 1 < mine.rss_mb <= mine.hwm_mb
    assert 0 < mine.main_thread_cpu_s <= mine.cpu_s + 0.01


def test_hot_spots_charge_library_time_to_the_deepest_own_frame():
    raw = [
        "main (rasa/__main__.py:1);serve (sanic/server/runners.py:155) 30",
        "main (rasa/__main__.py:1);run (rasa/core/actions/action.py:790);"
        "_validate_action_result (rasa/core/actions/action.py:704);descend (jsonschema/validators.py:305) 50",
        "descend (jsonschema/validators.py:305);iter_errors (jsonschema/validators.py:288) 10",
        "main (rasa/__main__.py:1);save (rasa/core/tracker_store.py:9) 10",
        "not a sample line",
    ]
    spots = stack.hot_spots(raw)
    assert spots["functions"] == [
        ("rasa/core/actions/action.py:_validate_action_result → jsonschema", 50.0),
        (stack.EVENT_LOOP_LABEL, 30.0),
        ("(deep recursion: caller cut off by py-spy) → jsonschema", 10.0),
        ("rasa/core/tracker_store.py:save", 10.0),
    ]
    assert spots["libraries"] == [("jsonschema", 60.0), (stack.EVENT_LOOP_LABEL, 30.0), ("rasa", 10.0)]
    assert stack.hot_spots([]) == {}


@pytest.mark.parametrize(
    "values, q, expected",
    [([], 0.95, 0.0), ([5.0], 0.99, 5.0), (list(range(1, 101)), 0.5, 51), (list(range(1, 101)), 0.95, 95)],
)
def test_percentile(values, q, expected):
    assert load.percentile(values, q) == expected


def test_targets_build_bodies_and_read_sessions():
    rng = random.Random(1)
    web = load.Target("http://x/api/chat")
    assert web.body(None, "tiếp", rng) == {"message": "tiếp"}
    assert web.body("abc", "tiếp", rng) == {"message": "tiếp", "session": "abc"}
    assert web.answer({}, {"session": "s1", "messages": [{"text": "ok"}]}) == (True, "s1")
    assert web.answer({}, {"session": "s1", "messages": []}) == (False, "s1")
    assert web.answer({}, ["not", "a", "dict"]) == (False, None)
    rasa = load.Target("http://x/webhooks/rest/webhook", "rasa")
    body = rasa.body(None, "tiếp", rng)
    assert (
        body["sender"].startswith("bench-")
        and rasa.body(body["sender"], "x", rng)["sender"] == body["sender"]
    )
    assert rasa.answer(body, [{"text": "ok"}]) == (True, body["sender"])
    assert rasa.answer(body, []) == (False, body["sender"])


def test_a_conversation_is_question_then_the_two_follow_ups():
    assert load.turns("q") == [("question", "q"), ("next", "tiếp"), ("papers", "cần mang gì")]


def test_summary_counts_answers_and_errors_apart():
    tally = load.Tally()
    tally.latency_ms["question"] += [100.0, 300.0]
    tally.latency_ms["next"] += [200.0]
    tally.errors.update({"HTTP 503": 2, "timeout": 1})
    tally.error_ms += [4000.0, 4000.0, 30000.0]
    summary = load.summarise(tally, users=10, elapsed=2.0)
    assert summary["replies"] == 3 and summary["messages_per_s"] == 1.5
    assert summary["p50_ms"] == 200.0 and summary["max_ms"] == 300.0
    assert summary["errors"] == {"HTTP 503": 2, "timeout": 1} and summary["error_p50_ms"] == 4000.0
    assert summary["p95_ms_by_turn"] == {"question": 300.0, "next": 200.0, "papers": 0.0}
    empty = load.summarise(load.Tally(), users=1, elapsed=0.0)
    assert empty["replies"] == 0 and empty["messages_per_s"] == 0.0


def _level(users, p95, errors=None, rasa_loop=0.5, rate=20.0, think=load.REALISTIC_THINK_S):
    return {
        "users": users, "think_s": list(think), "seconds": 45.0, "replies": int(rate * 45),
        "messages_per_s": rate,
        "p50_ms": 60.0, "p95_ms": p95, "p99_ms": p95 + 10, "max_ms": p95 + 20, "mean_ms": 70.0,
        "p95_ms_by_turn": {}, "errors": errors or {}, "error_p50_ms": 0.0,
        "cpu_cores": {"action server": 0.1, "Rasa server": rasa_loop + 0.1, "web app": 0.05},
        "cpu_ms_per_reply": {"action server": 5.0, "Rasa server": 30.0, "web app": 2.0},
        "loop_busy": {"action server": 0.1, "Rasa server": rasa_loop, "web app": 0.05},
        "load_generator_cores": 0.05, "other_cores": 0.0,
        "peak_rss_mb": {"Rasa server": 900}, "peak_rss_total_mb": 1000,
    }  # fmt: skip


def _result(levels, total_rss=1000, first_answer=14.0):
    return {
        "cold_start_s": {"action server": 0.7, "web app": 0.6, "Rasa server": 13.5,
                         "first answer": first_answer},
        "pids": {"action server": 1, "Rasa server": 2, "web app": 3},
        "seconds_per_level": 45.0, "cores": 2, "levels": levels,
        "peak_rss_mb": {"action server": 100, "Rasa server": total_rss - 160, "web app": 60},
        "peak_rss_total_mb": total_rss, "vm_hwm_mb": {"Rasa server": 880}, "rss_samples": 900, "notes": [],
    }  # fmt: skip


def test_goals_met_and_missed():
    met = load.goals(_result([_level(1, 60.0), _level(50, 140.0), _level(200, 900.0)]))
    assert [g["met"] for g in met] == [True, True, True, True]
    missed = load.goals(
        _result([_level(50, 151.0), _level(200, 900.0, {"HTTP 503": 3})], total_rss=1600, first_answer=31.0)
    )
    assert [g["met"] for g in missed] == [False, False, False, False]
    assert "HTTP 503 ×3" in missed[1]["measured"]
    assert missed[0]["goal"] == "p95 ≤ 150 ms at 50 citizens (5–15 s think)"


def test_stress_levels_are_judged_beside_the_realistic_ones_and_say_so():
    stress = load.STRESS_THINK_S
    judged = load.goals(_result([_level(50, 140.0), _level(50, 400.0, think=stress),
                                 _level(200, 900.0, {"HTTP 503": 3}, think=stress)]))  # fmt: skip
    latency = [(g["goal"], g["met"]) for g in judged[:3]]
    assert latency == [
        ("p95 ≤ 150 ms at 50 citizens (5–15 s think)", True),
        ("p95 ≤ 150 ms at 50 citizens (1–3 s think, stress test)", False),
        ("no errors at 200 citizens (1–3 s think, stress test)", False),
    ]


def test_goals_only_judge_levels_that_ran():
    assert [g["goal"] for g in load.goals(_result([_level(1, 60.0)]))] == [
        "all services ≤ 1.5 GB RSS",
        f"cold start ≤ {load.GOAL_COLD_START_S} s",
    ]


def test_capacity_notes_name_the_saturated_loop():
    levels = [
        _level(10, 80.0, rate=5.0),
        _level(50, 400.0, rasa_loop=0.8),
        _level(200, 3000.0, rasa_loop=0.7),
    ]
    notes = load.capacity_notes(levels, cores=2, at=levels[1])
    assert "The Rasa server is the bottleneck" in notes[1] and "near 33 messages/s" in notes[1]
    assert "not CPU" in notes[2]  # loop not saturated at 200 yet no more throughput


def test_markdown_shows_every_level_goal_and_note():
    result = _result([_level(1, 60.0), _level(50, 400.0), _level(200, 3000.0, {"HTTP 503": 7})])
    result["notes"] = ["The Rasa server is the bottleneck."]
    result["profile"] = {
        "layers_p50_ms": {"Rasa NLU only (/model/parse)": {"question": 9.0}},
        "py_spy_hot_spots_pct": {
            "Rasa server": {
                "functions": [["rasa/core/actions/action.py:x → jsonschema", 30.0]],
                "libraries": [],
            }
        },
    }
    json.dumps(result)  # what make bench stores
    text = load.to_markdown(result)
    assert "| 200 | 5–15 | 900 | 20.0 | 60.0 | 3000.0 |" in text and "HTTP 503 ×7" in text
    assert text.count("**missed**") == 2 and "| cold start ≤ 30 s | 14.0 s" in text
    assert "loop 0.5" in text and "The Rasa server is the bottleneck." in text
    assert "Rasa NLU only (/model/parse): question 9.0 ms" in text and "→ jsonschema 30.0 %" in text


def test_memory_and_start_notes_name_the_service():
    result = _result([_level(1, 60.0)], total_rss=1600, first_answer=31.0)
    missed = [g["goal"] for g in load.goals(result) if not g["met"]]
    assert load.memory_and_start_notes(result, missed) == [
        "Memory: the Rasa server holds 1440 MB of the 1600 MB peak.",
        "Cold start: the Rasa server was ready only after 13.5 s.",
    ]
    assert load.memory_and_start_notes(_result([_level(1, 60.0)]), []) == []


def test_tracker_store_comparison_times_both_stores_on_real_sqlite():
    from bench import tracker_store

    result = tracker_store.run(conversations=3, rounds=1)
    assert set(result["per_message"]) == {"Rasa's SQLTrackerStore", "ours"}
    assert all(r["wall_ms"] > 0 and r["cpu_ms"] > 0 for r in result["per_message"].values())
    assert "ours" in tracker_store.to_markdown(result)


def test_a_tail_without_a_busy_loop_is_not_blamed_on_queueing():
    quiet = {**_level(50, 162.0, rasa_loop=0.14), "p95_ms_by_turn": {"question": 191.5, "next": 101.5}}
    notes = load.capacity_notes([quiet], cores=2, at=quiet)
    assert len(notes) == 1 and "not a queue" in notes[0] and "question 191.5 ms" in notes[0]
    assert "bottleneck" not in notes[0]
