"""PhoATIS plumbing on made-up examples (the real data never enters the repository)."""

from __future__ import annotations

from bench.phoatis import config, predicted_spans, spans, to_text


def test_bio_spans_like_conlleval():
    tags = ["O", "B-from", "I-from", "O", "B-to", "I-from", "I-to"]
    # A stray I- of another type starts a span of its own, as conlleval reads it.
    assert spans(tags) == {("from", 1, 2), ("to", 4, 4), ("from", 5, 5), ("to", 6, 6)}


def test_words_joined_by_underscores_become_syllables_with_exact_offsets():
    text, offsets = to_text(["bay", "từ", "đà_nẵng"])
    assert text == "bay từ đà nẵng"
    assert [text[a:b] for a, b in offsets] == ["bay", "từ", "đà nẵng"]


def test_predicted_spans_must_fit_token_boundaries():
    text, offsets = to_text(["từ", "đà_nẵng", "đến", "vinh"])
    exact = {"entity": "from", "start": 3, "end": 10}
    cut = {"entity": "to", "start": 15, "end": 17}  # "vi" of "vinh"
    assert predicted_spans([exact, cut], offsets) == {("from", 1, 1), ("to", 3, -1)}


def test_the_benchmark_pipeline_extracts_entities_without_bot_only_parts():
    names = [c["name"] for c in config(5)["pipeline"]]
    assert not any(n.endswith(("DiacriticFreeAugmenter", "GazetteerEntityExtractor")) for n in names)
    diet = next(c for c in config(5)["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["entity_recognition"] and diet["epochs"] == 5 and diet["BILOU_flag"] is False
