"""The real stack on free loopback ports: action server, Rasa server, web app."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from bot.services import Supervisor
from bot.settings import ROOT, Settings
from tests.support import PHONE, free_port


@pytest.fixture(scope="session")
def stack(tmp_path_factory, kb_url, trained_model):
    var = tmp_path_factory.mktemp("stack")
    settings = Settings(
        kb_url=kb_url,
        tracker_db=var / "tracker.sqlite3",
        web_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        rasa_token=secrets.token_urlsafe(16),
        # Every test talks from 127.0.0.1: only the per-conversation limit stays as shipped.
        rate_per_client=(100_000, 60),
    )
    supervisor = Supervisor(settings, trained_model, log_dir=var / "log", say=lambda *_: None)
    try:
        supervisor.start(timeout=300)
    except Exception:
        supervisor.stop()
        raise
    yield supervisor
    supervisor.stop()


# --- a real browser: Debian's chromium driven by Playwright --------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which
# this closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "var" / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots and measurements a reviewer looks at: var/test-artifacts (kept after the run)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# Per module, not per session: Playwright's sync API keeps an event loop running in this
# thread while it is open, and later tests call asyncio.run() (Rasa's Agent).
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: `make browser` installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def base_url(stack) -> str:
    return f"http://127.0.0.1:{stack.settings.web_port}"


@pytest.fixture
def new_page(browser):
    """Pages in fresh browser contexts (own storage); any uncaught script error fails the test."""
    contexts, errors = [], []

    def open_page(viewport=PHONE, **options):
        context = browser.new_context(viewport=viewport, locale="vi-VN", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, errors


@pytest.fixture
def page(new_page):
    return new_page()
