"""The tracker store alone: Rasa's ``SQLTrackerStore`` against ours (bot.tracker_store), on SQLite.

Each message of a conversation costs the Rasa server one read and one write of its tracker;
this times exactly that, for three-turn conversations, so the two stores can be compared
without the noise of the whole stack. ``python -m bench.tracker_store`` prints the figures.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Tuple, Type

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.settings import ROOT
from bot.tracker_store import LeanSQLTrackerStore

STORES: Dict[str, Type[SQLTrackerStore]] = {
    "Rasa's SQLTrackerStore": SQLTrackerStore,
    "ours": LeanSQLTrackerStore,
}
CONVERSATIONS = 300
TURNS = 3


async def _conversations(store: SQLTrackerStore, count: int) -> Tuple[float, float]:
    """CPU and wall ms per message (one retrieve and one save each)."""
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(count):
        for turn in range(TURNS):
            tracker = await store.get_or_create_tracker(f"bench-{i}")
            tracker.update(UserUttered(f"câu hỏi {turn}", {"name": "greet", "confidence": 1.0}))
            tracker.update(ActionExecuted("action_answer"))
            tracker.update(BotUttered("Dạ, bạn làm như sau."))
            tracker.update(ActionExecuted("action_listen"))
            await store.save(tracker)
    messages = count * TURNS
    return 1000 * (time.process_time() - cpu) / messages, 1000 * (time.perf_counter() - wall) / messages


def run(conversations: int = CONVERSATIONS, rounds: int = 2) -> Dict[str, Any]:
    """Best of ``rounds`` for each store, alternating, each on a fresh database file."""
    domain = Domain.load(str(ROOT / "domain.yml"))
    best: Dict[str, Dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-tracker-") as tmp:
        for round_ in range(rounds):
            for name, store_class in STORES.items():
                db = Path(tmp) / f"{round_}-{store_class.__name__}.sqlite3"
                store = store_class(domain=domain, dialect="sqlite", db=str(db))
                cpu, wall = asyncio.run(_conversations(store, conversations))
                store.engine.dispose()
                if name not in best or wall < best[name]["wall_ms"]:
                    best[name] = {"cpu_ms": round(cpu, 2), "wall_ms": round(wall, 2)}
    return {"conversations": conversations, "turns": TURNS, "per_message": best}


def to_markdown(result: Dict[str, Any]) -> str:
    cells = "; ".join(
        f"{name} {r['wall_ms']} ms ({r['cpu_ms']} ms CPU)" for name, r in result["per_message"].items()
    )
    return (
        f"Tracker store alone (SQLite, {result['conversations']} conversations of {result['turns']} turns, "
        f"one read and one write per message, best of two): {cells}."
    )


if __name__ == "__main__":
    print(to_markdown(run()))
