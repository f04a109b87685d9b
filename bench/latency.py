"""Reply latency through the whole stack (web app -> Rasa -> action server -> KB).

Sequential conversations of three turns (question, "tiếp", "cần mang gì") against a
running stack (`make run`): ``python -m bench.latency --url http://127.0.0.1:8080 -n 50``.
Prints p50/p95/max per turn kind. Load with concurrency is issue #7's `make bench`.
"""

from __future__ import annotations

import argparse
import statistics
import time

import requests

TURNS = [
    ("question", "lam sao kich hoat tai khoan dinh danh dien tu"),
    ("next", "tiếp"),
    ("papers", "cần mang gì"),
]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("-n", type=int, default=50, help="conversations")
    args = parser.parse_args()
    timings = {kind: [] for kind, _ in TURNS}
    with requests.Session() as http:
        for _ in range(args.n):
            session = None
            for kind, text in TURNS:
                body = {"message": text, **({"session": session} if session else {})}
                started = time.perf_counter()
                response = http.post(f"{args.url}/api/chat", json=body, timeout=30)
                timings[kind].append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                session = response.json()["session"]
    print(f"{args.n} conversations, sequential; reply latency in ms")
    for kind, values in timings.items():
        print(
            f"  {kind:9} p50 {statistics.median(values):6.1f}  p95 {percentile(values, 0.95):6.1f}"
            f"  max {max(values):6.1f}"
        )


if __name__ == "__main__":
    main()
