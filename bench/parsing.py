"""Load a trained model quietly and parse texts one by one, timing each parse."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any, List, Tuple


def load_agent(model: Path) -> Tuple[Any, float]:
    """The model's Agent and how many seconds loading it took."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa logs every parse at debug level otherwise
    started = time.monotonic()
    agent = Agent.load(str(model))
    return agent, time.monotonic() - started


def parse_timed(agent: Any, texts: List[str]) -> Tuple[List[dict], List[float]]:
    """Each text's parse and its time in ms, one at a time as a server would see them."""

    async def parse_all() -> Tuple[List[dict], List[float]]:
        parses, times = [], []
        for text in texts:
            began = time.perf_counter()
            parses.append(await agent.parse_message(text))
            times.append((time.perf_counter() - began) * 1000)
        return parses, times

    return asyncio.run(parse_all())
