"""The real-question set is well formed, and its test split never leaks into what we train on."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from bench.answers import has_facts, kind_of, load_questions, response_patterns, split_of
from bot.settings import ROOT
from bot.text import fold

QUESTIONS = load_questions()
SLUGS = {path.stem for path in (ROOT / "data" / "kb" / "procedures").glob("*.yml")}


def test_every_question_is_sourced_and_checkable() -> None:
    assert len(QUESTIONS) >= 400  # issue 14: at least 400 questions citizens really asked
    for q in QUESTIONS:
        assert q.url.startswith("http"), q.text
        assert unicodedata.is_normalized("NFC", q.text), q.text
        assert q.topic == "none" or q.topic in SLUGS, q.topic
        assert (q.topic == "none") == (q.expect is None), q.text
        if q.expect is not None:
            assert 1 <= len(q.expect) <= 3 and all(group for group in q.expect), q.text


def test_the_split_is_fixed_and_both_halves_are_used() -> None:
    assert split_of("Mã passcode VNeID là gì?") == split_of("Mã passcode VNeID là gì?")
    splits = {q.split for q in QUESTIONS}
    assert splits == {"dev", "test"}
    test = [q for q in QUESTIONS if q.split == "test"]
    assert 0.35 < len(test) / len(QUESTIONS) < 0.65


def _trained_and_answered_texts() -> str:
    texts = []
    for folder in (ROOT / "data" / "nlu", ROOT / "data" / "kb" / "procedures"):
        texts += [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yml"))]
    return fold("\n".join(texts))


def test_no_test_question_is_in_the_training_data_or_the_kb() -> None:
    corpus = _trained_and_answered_texts()
    leaked = [q.text for q in QUESTIONS if q.split == "test" and len(q.text) > 25 and fold(q.text) in corpus]
    assert leaked == []


@pytest.mark.parametrize(
    "reply, expect, passed",
    [
        ("Người từ 60 tuổi được MIỄN lệ phí.", (("miễn",), ("60 tuổi", "từ 60")), True),
        ("nguoi tu 60 tuoi duoc mien le phi", (("miễn",), ("60 tuổi",)), True),
        ("Lệ phí 70.000 đồng.", (("miễn",), ("60 tuổi",)), False),
        ("Đến công an xã.", (("công an xã", "công an cấp xã"),), True),
    ],
)
def test_a_reply_carries_the_facts_when_every_group_is_in_it(reply, expect, passed) -> None:
    assert has_facts(reply, expect) is passed


def test_ask_backs_and_declines_are_read_from_the_domains_templates() -> None:
    patterns = response_patterns()
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    confirm = responses["utter_confirm_topic"][0]["text"].replace("{title}", "Đăng ký tạm trú")
    assert kind_of([confirm], patterns) == "ask_back"
    assert kind_of([responses["utter_out_of_scope"][0]["text"]], patterns) == "decline"
    assert kind_of(["Người từ 60 tuổi được miễn lệ phí."], patterns) == "answer"
    assert kind_of([], patterns) == "silent"


def test_questions_load_from_any_folder(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        yaml.safe_dump(
            [
                {
                    "question": "Có mất phí không?",
                    "url": "https://x.vn",
                    "date": None,
                    "topic": "t",
                    "expect": [["miễn"]],
                },
                {
                    "question": "Có mất phí không?",
                    "url": "https://y.vn",
                    "date": None,
                    "topic": "t",
                    "expect": "decline",
                },
            ],
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    loaded = load_questions(tmp_path)
    assert [(q.url, q.expect) for q in loaded] == [("https://x.vn", (("miễn",),))]
