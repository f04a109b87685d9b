"""Masking (bot.web.pii) alone: every message passes through it before Rasa sees it.

Times a typical long message (1,000 characters with an ID, a phone and a password keyword)
and the worst of the adversarial inputs the tests use (100,000 characters built to make the
regular expressions backtrack). ``python -m bench.masking`` prints the figures.
"""

from __future__ import annotations

import statistics
import time
import unicodedata
from typing import Any, Callable, Dict, List

from bench.load import percentile
from bot.web.pii import mask

LONG_MESSAGE = unicodedata.normalize(
    "NFD", "Tôi quên mật khẩu VNeID, CCCD 001203004567, sđt ０９１２ ３４５ ６７８. " * 20
)[:1000]
# The same shapes as tests/bot/web/test_pii.py's ADVERSARIAL, at 100,000 characters.
ADVERSARIAL = {
    "'1 ' × 50,000": "1 " * 50_000,
    "'1000' + 100,000 spaces": "1000" + " " * 100_000,
    "'mk: ' × 25,000": "mk: " * 25_000,
    "'mk ' × 33,000": "mk " * 33_000,
    "'otp 1 2 3 ' × 10,000": "otp 1 2 3 " * 10_000,
    "'0\\u200b' × 50,000": "0\u200b" * 50_000,
}


def _times(function: Callable[[], object], repeat: int) -> List[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(quick: bool = False) -> Dict[str, Any]:
    repeat = 20 if quick else 500
    long_times = _times(lambda: mask(LONG_MESSAGE), repeat)
    worst = {
        name: min(_times(lambda text=text: mask(text), 1 if quick else 3))
        for name, text in ADVERSARIAL.items()
    }
    return {
        "long_message_ms": {
            "p50": round(statistics.median(long_times), 2),
            "p95": round(percentile(long_times, 0.95), 2),
        },
        "adversarial_ms": {name: round(ms) for name, ms in worst.items()},
    }


def to_markdown(result: Dict[str, Any]) -> str:
    long = result["long_message_ms"]
    lines = [
        f"A 1,000-character message with an ID, a phone and a password keyword: p50 {long['p50']} ms,"
        f" p95 {long['p95']} ms.",
        "",
        "| adversarial input (100,000 characters) | best of 3 |",
        "|---|---|",
    ]
    lines += [f"| {name} | {ms} ms |" for name, ms in result["adversarial_ms"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(to_markdown(run()))
