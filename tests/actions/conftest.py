from __future__ import annotations

import pytest

from actions import knowledge


@pytest.fixture(autouse=True)
def actions_use_test_kb(kb_url: str, monkeypatch: pytest.MonkeyPatch):
    """Point the actions at the test KB, as the action server's environment would."""
    monkeypatch.setenv("KB_DATABASE_URL", kb_url)
    knowledge.knowledge_base.cache_clear()
    yield
    knowledge.knowledge_base.cache_clear()
