"""make review: entries due, sources not official, links on the domains of merged or abolished units."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from bot.kb.content import Answer, Entry, Link, Procedure
from bot.places.units import build_units
from bot.review import former_unit_keys, main, names_former_unit, review, to_text

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(scope="module")
def keys() -> dict[str, str]:
    return former_unit_keys(build_units())


def _entry(slug: str, reviewed: datetime.date, review_by=None, sources=(), question_sources=()) -> Entry:
    procedure = Procedure(
        slug=slug,
        intent=f"ask_{slug.replace('-', '_')}",
        title=slug,
        category="vneid",
        summary="Tóm tắt.",
        where="Trên ứng dụng VNeID",
        steps=("Mở ứng dụng.",),
        papers=(),
        fee="Miễn phí",
        processing_time="Ngay",
        legal_basis=("Nghị định 69/2024/NĐ-CP",),
        official_links=(Link("VNeID", "https://vneid.gov.vn"),),
        sources=tuple(Link("nguồn", url) for url in sources),
        last_reviewed=reviewed,
        review_by=review_by,
        questions=tuple(Answer(("hỏi gì",), "Đáp.", url, reviewed) for url in question_sources),
    )
    return Entry(procedure, (slug,), f"{slug}.yml")


@pytest.mark.parametrize(
    "url, unit",
    [
        ("https://dean06.hanam.gov.vn/tailieu/dk_t3.html", "Hà Nam"),
        ("https://dichvucong.conganquangbinh.gov.vn/x", "Quảng Bình"),
        ("http://honggai.halongcity.gov.vn/x", "Hạ Long"),
        ("http://xuanloc.thuongxuan.gov.vn/x", "Thường Xuân"),
        ("http://namndir.krongno.daknong.gov.vn/x", "Đắk Nông"),
    ],
)
def test_hosts_named_after_a_merged_province_or_an_old_district_are_found(keys, url, unit):
    assert unit in (names_former_unit(url, keys) or "")


@pytest.mark.parametrize(
    "url",
    [
        "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
        "https://congan.laocai.gov.vn/x",  # Lào Cai is still a province (its old city is not meant)
        "https://hanoi.gov.vn/x",
        "https://vnexpress.net/ha-nam-sap-nhap",  # only .gov.vn hosts are sites of a unit
    ],
)
def test_hosts_of_units_that_still_exist_are_not_flagged(keys, url):
    assert names_former_unit(url, keys) is None


def test_due_entries_unofficial_sources_and_the_official_share(keys):
    entries = [
        _entry(
            "cu", datetime.date(2026, 5, 1), sources=["https://vneid.gov.vn/a", "https://vnexpress.net/b"]
        ),
        _entry(
            "het-han",
            TODAY - datetime.timedelta(days=3),
            review_by=TODAY - datetime.timedelta(days=1),
            sources=["https://congan.hanam.gov.vn/a"],
        ),
        _entry(
            "sap-het",
            TODAY,
            review_by=TODAY + datetime.timedelta(days=20),
            sources=["https://vbpl.vn/x"],
            question_sources=["https://plo.vn/q", "https://chinhphu.vn/q"],
        ),
        _entry("moi", TODAY, sources=["https://dichvucong.gov.vn/x"]),
    ]
    result = review(entries, TODAY, keys)
    assert [slug for slug, _ in result.due] == ["cu", "het-han"]
    assert [slug for slug, _ in result.soon] == ["sap-het"]
    assert [x.url for x in result.unofficial] == ["https://vnexpress.net/b"]
    assert (result.official_sources, result.sources) == (4, 5)
    assert (result.official_question_sources, result.question_sources) == (1, 2)
    assert [(x.slug, x.where) for x, _ in result.old_units] == [("het-han", "sources[0]")]
    text = to_text(result)
    assert "4 of 5 official (80%)" in text and "over 6 months ago" in text


def test_the_command_reviews_a_content_folder(tmp_path: Path, capsys):
    doc = {
        "slug": "mau",
        "intent": "ask_mau",
        "title": "Mẫu",
        "aliases": ["mẫu"],
        "category": "vneid",
        "summary": "Tóm tắt.",
        "where": "Trên ứng dụng VNeID",
        "steps": ["Mở ứng dụng."],
        "papers": [],
        "fee": "Miễn phí",
        "processing_time": "Ngay",
        "legal_basis": ["Nghị định 69/2024/NĐ-CP"],
        "official_links": [{"title": "VNeID", "url": "https://vneid.gov.vn"}],
        "sources": [{"title": "Báo", "url": "https://vnexpress.net/a"}],
        "last_reviewed": "2026-01-02",
        "review_by": "2026-12-31",
    }
    (tmp_path / "procedures").mkdir()
    (tmp_path / "procedures" / "mau.yml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )
    assert main(["--content", str(tmp_path), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith("KB review on 2026-12-07")
    assert "mau: last reviewed 2026-01-02, over 6 months ago" in out
    assert "mau: review_by 2026-12-31" in out and "0 of 1 official (0%)" in out


def test_the_command_reports_invalid_content_and_fails(tmp_path: Path, capsys):
    (tmp_path / "procedures").mkdir()
    assert main(["--content", str(tmp_path)]) == 1
    assert "no procedure files" in capsys.readouterr().err
