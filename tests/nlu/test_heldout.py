"""The trained model on the held-out set: written before training and never used for it."""

from __future__ import annotations

import unicodedata

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bench.heldout import evaluate, load_heldout, markdown, unaccented
from bot.settings import ROOT
from bot.text import fold

# Issue #3: topic accuracy on the set as written, and on its copy without diacritics.
MIN_ACCURACY = 0.95
MIN_ACCURACY_UNACCENTED = 0.92


@pytest.fixture(scope="module")
def pairs():
    return load_heldout()


def test_heldout_is_nfc_and_has_enough_per_intent(pairs):
    assert all(unicodedata.normalize("NFC", text) == text for text, _ in pairs)
    counts = {}
    for _, intent in pairs:
        counts[intent] = counts.get(intent, 0) + 1
    assert min(counts.values()) >= 8
    topics = [i for i in counts if i.startswith("ask_") and i not in FOLLOW_UPS]
    assert len(topics) >= 30 and all(counts[i] >= 15 for i in topics)


FOLLOW_UPS = {"ask_fee", "ask_processing_time", "ask_where", "ask_level_variant"}


def test_heldout_is_never_in_the_training_data(pairs):
    training = {fold(m.get("text")) for m in load_data(str(ROOT / "data" / "nlu")).intent_examples}
    leaked = [text for text, _ in pairs if fold(text) in training]
    assert not leaked


@pytest.mark.slow
def test_topic_accuracy_on_the_heldout_set(trained_model, pairs):
    from rasa.core.agent import Agent

    agent = Agent.load(str(trained_model))
    written = evaluate(agent, pairs)
    stripped = evaluate(agent, unaccented(pairs))
    print("\n" + markdown({"as written": written, "no diacritics": stripped}))
    assert written.accuracy >= MIN_ACCURACY, markdown({"as written": written})
    assert stripped.accuracy >= MIN_ACCURACY_UNACCENTED, markdown({"no diacritics": stripped})
