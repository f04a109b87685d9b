"""Rasa's own checks on our training data and the test stories, through the real CLI."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot.settings import ROOT

TRAINING_FILES = sorted((ROOT / "data").rglob("*.yml")) + [ROOT / "domain.yml"]


def rasa(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args], cwd=cwd, capture_output=True, text=True, timeout=900
    )


@pytest.mark.parametrize("path", TRAINING_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_training_data_is_nfc(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


def test_every_kb_intent_is_in_the_domain(kb):
    intents = set(yaml.safe_load((ROOT / "domain.yml").read_text())["intents"])
    for slug, _ in kb.titles():
        assert kb.get(slug).intent in intents, slug


def test_rasa_data_validate():
    result = rasa(
        "data", "validate", "--fail-on-warnings", "--config", "config.yml", "--domain", "domain.yml",
        "--data", "data/nlu", "data/stories",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.slow
def test_test_stories_pass(trained_model, tmp_path):
    result = rasa(
        "test", "core", "--model", str(trained_model), "--stories", "tests/test_stories.yml",
        "--out", str(tmp_path), "--fail-on-prediction-errors", "--no-plot",
    )  # fmt: skip
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, detail + result.stdout[-3000:] + result.stderr[-3000:]


def story_messages():
    stories = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text())["stories"]
    return [
        (step["user"].strip(), step["intent"])
        for story in stories
        for step in story["steps"]
        if "user" in step
    ]


@pytest.mark.slow
def test_test_story_messages_get_their_intents(trained_model):
    # `rasa test core` takes the intent labels of test stories as given; parse the
    # text with the trained model too, so the stories also check the NLU.
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(trained_model))

    async def parse_all():
        return [(await agent.parse_message(text))["intent"]["name"] for text, _ in story_messages()]

    messages = story_messages()
    predicted = asyncio.run(parse_all())
    wrong = [(text, want, got) for (text, want), got in zip(messages, predicted, strict=True) if want != got]
    assert not wrong


def test_test_story_messages_are_not_in_the_heldout_set():
    # The held-out set stays independent of everything else we write.
    from bench.heldout import load_heldout
    from bot.text import fold

    heldout = {fold(text) for text, _ in load_heldout()}
    assert [text for text, _ in story_messages() if fold(text) in heldout] == []
