"""PhoATIS plumbing on made-up examples (the real data never enters the repository)."""

from __future__ import annotations

import pytest

from bench.phoatis import config, predicted_spans, read_split, spans, to_text


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


def test_the_dataset_is_found_beside_the_checkout_or_where_phoatis_dir_says(tmp_path):
    from bot.settings import ROOT, phoatis_dir

    assert phoatis_dir({}) == ROOT.parent / "shared" / "datasets" / "phoatis"
    assert phoatis_dir({"PHOATIS_DIR": str(tmp_path)}) == tmp_path
    with pytest.raises(FileNotFoundError, match="set PHOATIS_DIR"):
        read_split("word", "train", tmp_path)
    folder = tmp_path / "word-level" / "test"
    folder.mkdir(parents=True)
    (folder / "seq.in").write_text("vé đi hà_nội\n", encoding="utf-8")
    (folder / "seq.out").write_text("O O B-toloc.city_name\n", encoding="utf-8")
    (folder / "label").write_text("flight\n", encoding="utf-8")
    assert read_split("word", "test", tmp_path) == [
        (["vé", "đi", "hà_nội"], ["O", "O", "B-toloc.city_name"], "flight")
    ]
