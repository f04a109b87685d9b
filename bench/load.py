"""Reply latency under load through the whole stack (web app -> Rasa -> action server -> KB).

N simulated citizens each hold conversations of three turns (a question, "tiếp", "cần mang
gì") with think time, for a fixed time per level, through ``POST /api/chat``; the three
services' memory is sampled throughout and their CPU time counted per level. Two think times:
5–15 s, still brisk for a person who reads a reply on a phone and types the next message (the
goals are judged there), and 1–3 s, a stress test far past real use that finds the capacity. When a goal is
missed, ``run`` looks for where the time goes and says so under "notes".
``python -m bench.load [--quick]`` prints the tables; ``make bench`` records them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import aiohttp

from bench import tracker_store
from bench.stack import (
    MemorySampler,
    Stack,
    machine_busy_s,
    own_cpu_s,
    py_spy,
    py_spy_hot_spots,
    running_stack,
    usage,
)

QUESTIONS = [
    "lam sao kich hoat tai khoan dinh danh dien tu",
    "Làm thẻ căn cước cần giấy tờ gì?",
    "quen mat khau vneid thi lam the nao",
    "đăng ký tạm trú online ở đâu",
    "bưu điện gần nhất ở phường Bến Thành",
]
FOLLOW_UPS = ["tiếp", "cần mang gì"]
TURN_KINDS = ("question", "next", "papers")
Think = Tuple[float, float]
# Reading a reply of 3–6 short lines takes an elderly reader 10 s or more, typing on a phone as
# long again: 5–15 s between messages is already a quick citizen.
REALISTIC_THINK_S: Think = (5.0, 15.0)
STRESS_THINK_S: Think = (1.0, 3.0)
LEVELS: Tuple[Tuple[int, Think], ...] = (
    (1, REALISTIC_THINK_S), (10, REALISTIC_THINK_S), (50, REALISTIC_THINK_S), (200, REALISTIC_THINK_S),
    (50, STRESS_THINK_S), (200, STRESS_THINK_S),
)  # fmt: skip
SECONDS = 60.0  # per level: about five messages per citizen at 5–15 s think time
QUICK_SECONDS = 5.0
CLIENT_TIMEOUT_S = 30.0  # the web app itself answers 503 after 4 s without Rasa
WARM_UP_ROUNDS = 2

# Goals of issue 7 on this 2-core machine.
GOAL_P95_AT_50_MS = 150
GOAL_RSS_MB = 1536
GOAL_COLD_START_S = 30
SATURATED = 0.5  # event-loop share on the CPU from which queueing explains the latency


def turns(question: str) -> List[Tuple[str, str]]:
    """(kind, text) of one conversation."""
    return list(zip(TURN_KINDS, [question, *FOLLOW_UPS], strict=True))


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


# --- one level of load -------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where messages go: the web app's JSON API, or Rasa's REST webhook (to profile past the web app)."""

    url: str
    kind: str = "web"  # or "rasa"

    def body(self, session: Optional[str], text: str, rng: random.Random) -> Dict[str, Any]:
        if self.kind == "rasa":
            return {"sender": session or f"bench-{rng.getrandbits(64):016x}", "message": text}
        return {"message": text, **({"session": session} if session else {})}

    def answer(self, body: Dict[str, Any], data: Any) -> Tuple[bool, Optional[str]]:
        """(the reply has something to show, the session to continue with)."""
        if self.kind == "rasa":
            return isinstance(data, list) and bool(data), body["sender"]
        if not isinstance(data, dict):
            return False, None
        return bool(data.get("messages")), data.get("session")


@dataclass
class Tally:
    latency_ms: Dict[str, List[float]] = field(default_factory=lambda: {k: [] for k in TURN_KINDS})
    errors: Counter = field(default_factory=Counter)
    error_ms: List[float] = field(default_factory=list)


async def send(
    http: aiohttp.ClientSession, target: Target, session: Optional[str], text: str, kind: str,
    rng: random.Random, tally: Tally,
) -> Optional[str]:  # fmt: skip
    """One message; its latency or its error goes into the tally. Returns the session, None on error."""
    body = target.body(session, text, rng)
    started = time.perf_counter()
    error = None
    try:
        async with http.post(target.url, json=body) as response:
            data = await response.json(content_type=None)
            ok, session = target.answer(body, data)
            if response.status != 200:
                error = f"HTTP {response.status}"
            elif not ok:
                error = "empty reply"
    except asyncio.TimeoutError:
        error = "timeout"
    except aiohttp.ClientError as exc:
        error = f"connection ({type(exc).__name__})"
    except ValueError:
        error = "not JSON"
    elapsed_ms = (time.perf_counter() - started) * 1000
    if error:
        tally.errors[error] += 1
        tally.error_ms.append(elapsed_ms)
        return None
    tally.latency_ms[kind].append(elapsed_ms)
    return session


async def citizen(
    http: aiohttp.ClientSession, target: Target, until: float, think: Think, rng: random.Random,
    tally: Tally,
) -> None:  # fmt: skip
    """One person: three-turn conversations with think time, until the level ends."""
    await asyncio.sleep(rng.uniform(0, think[1]))  # citizens do not all arrive in the same instant
    while time.monotonic() < until:
        session = None
        for kind, text in turns(rng.choice(QUESTIONS)):
            session = await send(http, target, session, text, kind, rng, tally)
            if time.monotonic() >= until:
                return
            await asyncio.sleep(rng.uniform(*think))
            if session is None:
                break  # an error ends the conversation, as a person would start again


async def load_level(
    target: Target, users: int, seconds: float, think: Think, seed: int = 7
) -> Tuple[Tally, float]:
    tally = Tally()
    # No connection limit: the client must never queue requests itself.
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        started = time.monotonic()
        until = started + seconds
        rngs = [random.Random(seed * 100_003 + i) for i in range(users)]
        await asyncio.gather(*(citizen(http, target, until, think, rng, tally) for rng in rngs))
        return tally, time.monotonic() - started


def summarise(tally: Tally, users: int, elapsed: float, think: Think = REALISTIC_THINK_S) -> Dict[str, Any]:
    """Latency of answered messages (errors are counted apart, with their own latency)."""
    everything = [v for kind in TURN_KINDS for v in tally.latency_ms[kind]]
    return {
        "users": users,
        "think_s": list(think),
        "seconds": round(elapsed, 1),
        "replies": len(everything),
        "messages_per_s": round(len(everything) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(everything, 0.50), 1),
        "p95_ms": round(percentile(everything, 0.95), 1),
        "p99_ms": round(percentile(everything, 0.99), 1),
        "max_ms": round(max(everything), 1) if everything else 0.0,
        "mean_ms": round(statistics.mean(everything), 1) if everything else 0.0,
        "p95_ms_by_turn": {k: round(percentile(v, 0.95), 1) for k, v in tally.latency_ms.items()},
        "errors": dict(tally.errors),
        "error_p50_ms": round(percentile(tally.error_ms, 0.5), 1),
    }


async def warm_up(url: str) -> None:
    """Every question and follow-up, twice: first parses, TF graphs, DB pools, the places index."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_S)) as http:
        rng, tally = random.Random(0), Tally()
        for _ in range(WARM_UP_ROUNDS):
            for question in QUESTIONS:
                session = None
                for kind, text in turns(question):
                    session = await send(http, Target(f"{url}/api/chat"), session, text, kind, rng, tally)
    if tally.errors:
        raise RuntimeError(f"the warm-up got errors: {dict(tally.errors)}")


def measured_level(
    stack: Stack, memory: MemorySampler, users: int, think: Think, seconds: float
) -> Dict[str, Any]:
    """One level through the web app, with the CPU each service spent during it."""
    pids = stack.pids
    before, busy, mine = usage(pids), machine_busy_s(), own_cpu_s()
    memory.take_window()
    tally, elapsed = asyncio.run(load_level(Target(f"{stack.url}/api/chat"), users, seconds, think))
    after, busy, mine = usage(pids), machine_busy_s() - busy, own_cpu_s() - mine
    peaks, total = memory.take_window()
    result = summarise(tally, users, elapsed, think)
    cpu = {name: after[name].cpu_s - before[name].cpu_s for name in pids}
    replies = max(1, result["replies"])
    result["cpu_cores"] = {name: round(s / elapsed, 2) for name, s in cpu.items()}
    result["cpu_ms_per_reply"] = {name: round(1000 * s / replies, 1) for name, s in cpu.items()}
    # Share of the event-loop thread's time spent on the CPU: near 1, the service is saturated.
    loop = {name: after[name].main_thread_cpu_s - before[name].main_thread_cpu_s for name in pids}
    result["loop_busy"] = {name: round(s / elapsed, 2) for name, s in loop.items()}
    result["load_generator_cores"] = round(mine / elapsed, 2)
    # Whatever else ran on the machine at the time (other builds, tests): numbers are then pessimistic.
    result["other_cores"] = round(max(0.0, busy - sum(cpu.values()) - mine) / elapsed, 2)
    result["peak_rss_mb"] = {k: round(v) for k, v in peaks.items()}
    result["peak_rss_total_mb"] = round(total)
    return result


# --- goals and where the time goes ---------------------------------------------------------


def think_range(think: Sequence[float]) -> str:
    return f"{think[0]:.0f}–{think[1]:.0f}"


def think_label(think: Sequence[float]) -> str:
    return f"{think_range(think)} s think"


def is_stress(level: Dict[str, Any]) -> bool:
    return tuple(level["think_s"]) != REALISTIC_THINK_S


def level_label(level: Dict[str, Any]) -> str:
    stress = ", stress test" if is_stress(level) else ""
    return f"{level['users']} citizens ({think_label(level['think_s'])}{stress})"


def latency_goals(level: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The latency goals one level can judge: p95 at 50 citizens, no errors at 200."""
    if level["users"] == 50:
        p95 = level["p95_ms"]
        return [{"goal": f"p95 ≤ {GOAL_P95_AT_50_MS} ms at {level_label(level)}", "measured": f"{p95} ms",
                 "met": p95 <= GOAL_P95_AT_50_MS}]  # fmt: skip
    if level["users"] == 200:
        errors = level["errors"]
        shown = ", ".join(f"{k} ×{v}" for k, v in errors.items()) or "none"
        return [{"goal": f"no errors at {level_label(level)}", "measured": shown, "met": not errors}]
    return []


def goals(result: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Each goal of issue 7 that this result can judge: what, measured, met. The goals are the
    issue's at the realistic think time; the stress levels are judged the same way, beside them."""
    out = [goal for level in result["levels"] for goal in latency_goals(level)]
    total = result["peak_rss_total_mb"]
    parts = ", ".join(f"{k} {v}" for k, v in result["peak_rss_mb"].items())
    out.append({"goal": "all services ≤ 1.5 GB RSS", "measured": f"{total} MB peak ({parts})",
                "met": total <= GOAL_RSS_MB})  # fmt: skip
    cold = result["cold_start_s"]
    steps = ", ".join(f"{k} {v} s" for k, v in cold.items() if k != "first answer")
    first = cold["first answer"]
    out.append({"goal": f"cold start ≤ {GOAL_COLD_START_S} s", "measured": f"{first} s ({steps} ready)",
                "met": first <= GOAL_COLD_START_S})  # fmt: skip
    return out


def capacity_notes(levels: List[Dict[str, Any]], cores: int, at: Dict[str, Any]) -> List[str]:
    """Read the CPU figures of the level ``at``: which service saturates; why more cores do not help."""
    busiest = max(at["loop_busy"], key=at["loop_busy"].get)
    busy = at["loop_busy"][busiest]
    if busy < SATURATED:
        by_turn = ", ".join(f"{k} {v} ms" for k, v in at["p95_ms_by_turn"].items())
        return [
            f"At {level_label(at)} the busiest loop ({busiest}) is on the CPU only {busy} of the time: the "
            f"tail is not a queue but single slow messages (p95 by turn: {by_turn}; p50 {at['p50_ms']} ms). "
            "Look at what differs for those messages (first message of a conversation, help-point search, "
            "garbage-collection pauses) before adding capacity."
        ]
    levels = [lv for lv in levels if lv["think_s"] == at["think_s"]]
    per_reply = at["cpu_ms_per_reply"][busiest]
    plateau = max(lv["messages_per_s"] for lv in levels)
    offered = at["users"] / (sum(at["think_s"]) / 2 + at["mean_ms"] / 1000)
    spent = ", ".join(f"{k} {v} ms" for k, v in at["cpu_ms_per_reply"].items())
    loops = ", ".join(f"{k} {v}" for k, v in at["loop_busy"].items())
    machine = sum(at["cpu_cores"].values()) + at["load_generator_cores"] + at["other_cores"]
    notes = [
        f"At {level_label(at)}, ≈ {offered:.0f} messages/s offered: CPU per answered message {spent}; "
        f"event-loop thread busy {loops}; the whole machine {machine:.2f} of {cores} cores "
        f"(load generator {at['load_generator_cores']}, other processes {at['other_cores']}).",
        f"The {busiest} is the bottleneck: each service is one Python process with one event loop, so it "
        f"uses one core at most, and at {per_reply} ms per message its loop saturates near "
        f"{1000 / max(per_reply, 0.1):.0f} messages/s whatever the number of cores. Throughput levels off at "
        f"{plateau} messages/s. Requests wait in the queue of that one loop: at {busy} "
        "busy the wait dominates the latency, and once the queue is longer than the web app's 4 s limit to "
        "Rasa the citizen gets a 503.",
    ]
    top = max(levels, key=lambda lv: lv["users"])
    if top["loop_busy"][busiest] < 0.85 and top["messages_per_s"] <= 1.1 * at["messages_per_s"]:
        notes.append(
            f"At {top['users']} citizens the {busiest}'s loop is on the CPU only {top['loop_busy'][busiest]} "
            "of the time yet throughput no longer grows: the rest is blocking work on that thread that is "
            "not CPU (e.g. synchronous SQLite commits of the tracker store), waiting on the other services, "
            "or waiting for a core while other work runs."
        )
    if at["other_cores"] >= 0.2:
        notes.append(f"Other work used {at['other_cores']} cores during that level: figures are pessimistic.")
    return notes


def memory_and_start_notes(result: Dict[str, Any], missed: List[str]) -> List[str]:
    """Which service a missed memory or cold-start goal is down to."""
    notes = []
    if any("RSS" in g for g in missed):
        rss = result["peak_rss_mb"]
        biggest = max(rss, key=rss.get)
        notes.append(
            f"Memory: the {biggest} holds {rss[biggest]} MB of the {result['peak_rss_total_mb']} MB peak."
        )
    if any("cold start" in g for g in missed):
        ready = {k: v for k, v in result["cold_start_s"].items() if k != "first answer"}
        slowest = max(ready, key=ready.get)
        notes.append(f"Cold start: the {slowest} was ready only after {ready[slowest]} s.")
    return notes


async def layer_breakdown(stack: Stack, conversations: int) -> Dict[str, Dict[str, float]]:
    """Unloaded p50 per turn through the web app, straight to Rasa's webhook, and Rasa's NLU alone."""
    rasa = stack.settings.rasa_url
    token = stack.settings.rasa_token
    out: Dict[str, Dict[str, float]] = {}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_S)) as http:
        targets = {
            "web app → Rasa → actions": Target(f"{stack.url}/api/chat"),
            "Rasa → actions (no web app)": Target(f"{rasa}/webhooks/rest/webhook", "rasa"),
        }
        for name, target in targets.items():
            rng, tally = random.Random(3), Tally()
            for i in range(conversations):
                session = None
                for kind, text in turns(QUESTIONS[i % len(QUESTIONS)]):
                    session = await send(http, target, session, text, kind, rng, tally)
            out[name] = {k: round(statistics.median(v), 1) for k, v in tally.latency_ms.items() if v}
        parse: Dict[str, List[float]] = {k: [] for k in TURN_KINDS}
        for i in range(conversations):
            for kind, text in turns(QUESTIONS[i % len(QUESTIONS)]):
                started = time.perf_counter()
                async with http.post(f"{rasa}/model/parse?token={token}", json={"text": text}) as response:
                    await response.read()
                parse[kind].append((time.perf_counter() - started) * 1000)
        out["Rasa NLU only (/model/parse)"] = {k: round(statistics.median(v), 1) for k, v in parse.items()}
    return out


def profile(stack: Stack, users: int, think: Think, seconds: float) -> Dict[str, Any]:
    """Where the time goes when a goal is missed: per-layer timings, then py-spy if installed."""
    found: Dict[str, Any] = {"layers_p50_ms": asyncio.run(layer_breakdown(stack, 6 if seconds < 10 else 20))}
    # py-spy samples each service while the same load runs through the web app (numbers of this
    # run are not reported: py-spy itself takes CPU).
    spots: Dict[str, Any] = {}
    if py_spy() is None:
        found["py_spy_hot_spots_pct"] = "py-spy is not installed"
        return found

    async def under_load() -> None:
        loop = asyncio.get_running_loop()
        samplers = [loop.run_in_executor(None, py_spy_hot_spots, pid, seconds) for pid in stack.pids.values()]
        await asyncio.sleep(0.5)  # let py-spy attach first
        await load_level(Target(f"{stack.url}/api/chat"), users, seconds, think)
        for name, spot in zip(stack.pids, await asyncio.gather(*samplers), strict=True):
            if spot is not None:
                spots[name] = spot

    asyncio.run(under_load())
    found["py_spy_hot_spots_pct"] = spots or "py-spy found no samples"
    return found


# --- the whole part --------------------------------------------------------------------------


def run(levels: Sequence[Tuple[int, Think]] = LEVELS, duration: float = SECONDS, quick: bool = False,
        explain: bool = True) -> Dict[str, Any]:  # fmt: skip
    """Start the stack, measure its cold start, run each level while sampling memory, stop it."""
    if quick:
        duration = QUICK_SECONDS
    cores = os.cpu_count() or 1
    store = tracker_store.run(conversations=30 if quick else tracker_store.CONVERSATIONS)
    with running_stack() as stack:
        result: Dict[str, Any] = {
            "cold_start_s": stack.cold_start,
            "pids": stack.pids,
            "seconds_per_level": duration,
            "cores": cores,
            "levels": [],
            "tracker_store": store,
        }
        with MemorySampler(stack.pids) as memory:
            asyncio.run(warm_up(stack.url))  # not timed: cold caches must not count
            for users, think in levels:
                result["levels"].append(measured_level(stack, memory, users, think, duration))
        result["peak_rss_mb"] = {k: round(v) for k, v in memory.peaks.items()}
        result["peak_rss_total_mb"] = round(memory.peak_total)
        result["vm_hwm_mb"] = {k: round(v) for k, v in memory.hwm.items()}
        result["rss_samples"] = memory.samples
        missed = [g["goal"] for g in goals(result) if not g["met"]]
        notes = memory_and_start_notes(result, missed)
        # The first level that missed a latency goal is where the time is looked for.
        first_missed = next(
            (lv for lv in result["levels"] if any(not g["met"] for g in latency_goals(lv))), None
        )
        if first_missed is not None:
            notes += capacity_notes(result["levels"], cores, first_missed)
            if explain:
                users, think = first_missed["users"], tuple(first_missed["think_s"])
                result["profile"] = profile(stack, users, think, min(duration, 20.0))
        result["notes"] = notes
    return result


def to_markdown(result: Dict[str, Any]) -> str:
    lines = [
        f"Each level: {result['seconds_per_level']:.0f} s of citizens holding 3-turn conversations "
        '(question, "tiếp", "cần mang gì") through `POST /api/chat`, waiting between messages '
        f"{think_label(REALISTIC_THINK_S)} time (a quick reader on a phone: the goals are judged here) or "
        f"{think_label(STRESS_THINK_S)} time (a stress test past real use, to find the capacity); latency of "
        f"answered messages, errors counted apart. {result['cores']} cores, load generator on the same "
        "machine.",
        "",
        "| citizens | think s | replies | msg/s | p50 ms | p95 ms | p99 ms | max ms | errors | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lv in result["levels"]:
        errors = ", ".join(f"{k} ×{v}" for k, v in lv["errors"].items()) or "0"
        think = think_range(lv["think_s"])
        lines.append(
            f"| {lv['users']} | {think} | {lv['replies']} | {lv['messages_per_s']} | {lv['p50_ms']} "
            f"| {lv['p95_ms']} | {lv['p99_ms']} | {lv['max_ms']} | {errors} | {lv['peak_rss_total_mb']} |"
        )
    names = list(result["levels"][0]["cpu_cores"]) if result["levels"] else []
    lines += [
        "",
        "CPU per level: cores busy (CPU ms per answered message, share of time the event-loop thread was "
        "on the CPU):",
        "",
        "| citizens | think s | " + " | ".join(names) + " | load generator | other processes |",
        "|---" * (len(names) + 4) + "|",
    ]
    for lv in result["levels"]:
        cells = [
            f"{lv['cpu_cores'][n]} ({lv['cpu_ms_per_reply'][n]} ms, loop {lv['loop_busy'][n]})" for n in names
        ]
        think = think_range(lv["think_s"])
        lines.append(
            f"| {lv['users']} | {think} | "
            + " | ".join(cells)
            + f" | {lv['load_generator_cores']} | {lv['other_cores']} |"
        )
    lines += ["", "| goal | measured | |", "|---|---|---|"]
    for goal in goals(result):
        lines.append(f"| {goal['goal']} | {goal['measured']} | {'met' if goal['met'] else '**missed**'} |")
    hwm = ", ".join(f"{k} {v}" for k, v in result["vm_hwm_mb"].items())
    lines += ["", f"VmHWM (peak RSS each process reached, including between samples): {hwm} MB."]
    if result.get("tracker_store"):
        lines += ["", tracker_store.to_markdown(result["tracker_store"])]
    if result.get("notes") or result.get("profile"):
        lines += ["", "Where the time goes:", ""] + [f"- {note}" for note in result["notes"]]
    found = result.get("profile") or {}
    for layer, p50 in (found.get("layers_p50_ms") or {}).items():
        lines.append(f"- unloaded p50 {layer}: " + ", ".join(f"{k} {v} ms" for k, v in p50.items()))
    spots = found.get("py_spy_hot_spots_pct")
    if isinstance(spots, dict):
        for service, found_in in spots.items():
            for kind, label in (("libraries", "by package"), ("functions", "hottest")):
                shown = "; ".join(f"{where} {pct} %" for where, pct in found_in.get(kind, []))
                lines.append(f"- py-spy, {service}, share of samples {label}: {shown}")
    elif spots:
        lines.append(f"- {spots}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_SECONDS:.0f} s per level: check the plumbing"
    )
    parser.add_argument("--duration", type=float, default=SECONDS, help="seconds per level")
    realistic = [users for users, think in LEVELS if think == REALISTIC_THINK_S]
    stress = [users for users, think in LEVELS if think == STRESS_THINK_S]
    parser.add_argument("--levels", type=int, nargs="*", default=realistic, help="citizens, 5–15 s think")
    parser.add_argument("--stress", type=int, nargs="*", default=stress, help="citizens, 1–3 s think")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile when a goal is missed")
    args = parser.parse_args()
    levels = [(n, REALISTIC_THINK_S) for n in args.levels] + [(n, STRESS_THINK_S) for n in args.stress]
    result = run(levels, args.duration, args.quick, explain=not args.no_profile)
    print(to_markdown(result))


if __name__ == "__main__":
    main()
