"""KnowledgeBase queries: lookups, fuzzy search with and without accents, missing database."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import String, Text, create_engine, select
from sqlalchemy.orm import Session

from bot.kb.models import Base
from bot.kb.queries import KnowledgeBase, KnowledgeBaseMissing, Match, Procedure
from bot.text import fold


@pytest.fixture(scope="module")
def kb(shared_url) -> KnowledgeBase:
    # Read-only queries share one loaded database; tests that change content load their own.
    return KnowledgeBase.from_url(shared_url)


@pytest.mark.parametrize(
    "text, slug",
    [
        ("kích hoạt tài khoản", "kich-hoat-vneid"),
        ("kich hoat tai khoan", "kich-hoat-vneid"),
        ("KICH HOAT TAI KHOAN", "kich-hoat-vneid"),
        ("kich hoat tai khaon", "kich-hoat-vneid"),
        ("quên mật khẩu VNeID", "quen-mat-khau-vneid"),
        ("quen mat khau vneid", "quen-mat-khau-vneid"),
        ("quen mat khua vnied", "quen-mat-khau-vneid"),
        ("quên passcode", "quen-mat-khau-vneid"),
        ("buu dien", "buu-dien-ho-tro-dich-vu-cong"),
        ("bưu điện giúp gì?", "buu-dien-ho-tro-dich-vu-cong"),
        ("buu dein", "buu-dien-ho-tro-dich-vu-cong"),
        ("dang nhap dich vu cong", "dang-nhap-dich-vu-cong"),
        ("đăng nhập dịch vụ công quốc gia", "dang-nhap-dich-vu-cong"),
        ("dang ky vneid muc 2", "dang-ky-vneid-muc-2"),
        ("tôi muốn hỏi cách đăng ký VNeID mức 2 như thế nào", "dang-ky-vneid-muc-2"),
        ("định danh mức 1", "dang-ky-vneid-muc-1"),
        ("dang ky vneid muc 1", "dang-ky-vneid-muc-1"),
        ("mức 1 và mức 2 khác nhau thế nào", "muc-do-tai-khoan-vneid"),
        ("tài khoản vneid của tôi mức mấy", "muc-do-tai-khoan-vneid"),
        ("tôi mới đổi sim thì vneid làm sao", "doi-so-dien-thoai-vneid"),
        ("mat dien thoai cu dang nhap vneid", "dang-nhap-vneid-thiet-bi-moi"),
        ("khong nhan duoc otp", "khong-nhan-duoc-otp"),
        ("mất điện thoại thì khóa vneid thế nào", "khoa-mo-khoa-vneid"),
        ("tích hợp bằng lái xe vào vneid", "tich-hop-giay-to-vneid"),
        ("đăng ký vneid cho con", "vneid-cho-tre-em"),
        ("người già không biết dùng vneid", "khong-co-smartphone"),
        ("vneid không nhận diện được khuôn mặt", "loi-thuong-gap-vneid"),
        ("số điện thoại hỗ trợ vneid", "tong-dai-ho-tro"),
        ("có người xưng công an gọi bảo cài vneid", "canh-bao-lua-dao"),
        ("bưu điện gần nhất ở đâu", "tim-buu-dien"),
    ],
)
def test_search_finds_the_right_procedure_first(kb, text, slug):
    matches = kb.search(text)
    assert matches, text
    assert matches[0].slug == slug, matches
    assert isinstance(matches[0], Match)
    assert matches[0].title == kb.get(slug).title


def test_search_scores_are_in_range_sorted_and_limited(kb):
    matches = kb.search("tài khoản VNeID", limit=5)
    assert 1 <= len(matches) <= 5
    assert all(0 < m.score <= 1 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert len(kb.search("tài khoản VNeID", limit=1)) == 1
    assert kb.search("tài khoản VNeID", limit=0) == []


def test_exact_alias_scores_one(kb):
    assert kb.search("Bưu điện")[0].score == 1.0


@pytest.mark.parametrize("text", ["", "   ", "làm sao?", "xyz qwv"])
def test_search_without_a_topic_finds_nothing(kb, text):
    assert kb.search(text) == []


def test_get_and_by_intent(kb):
    procedure = kb.by_intent("ask_activate_account")
    assert isinstance(procedure, Procedure)
    assert procedure.slug == "kich-hoat-vneid"
    assert "Kích hoạt tài khoản định danh điện tử (VNeID)" in procedure.title
    assert procedure.steps[0].startswith("Chờ tin nhắn")
    assert procedure.official_links[0].url == "https://vneid.gov.vn"
    assert all(s.url.startswith(("http://", "https://")) for s in procedure.sources)
    assert kb.get("khong-co") is None
    assert kb.by_intent("ask_nothing") is None


def test_titles_sorted_ignoring_accents(kb, count):
    titles = kb.titles()
    assert len(titles) == count
    assert [fold(t) for _, t in titles] == sorted(fold(t) for _, t in titles)
    assert ("buu-dien-ho-tro-dich-vu-cong", "Bưu điện hỗ trợ làm dịch vụ công trực tuyến") in titles
    slugs = [slug for slug, _ in titles]
    # "Đăng ..." sorts with D, before "Kích ...", not after "Z" as plain code points would.
    assert slugs.index("dang-nhap-dich-vu-cong") < slugs.index("kich-hoat-vneid")


def test_all_returns_every_procedure_in_title_order(kb):
    procedures = kb.all()
    assert [(p.slug, p.title) for p in procedures] == kb.titles()
    for p in procedures:
        assert isinstance(p, Procedure)
        assert p == kb.get(p.slug)


@pytest.mark.parametrize(
    "family, level, slug",
    [
        ("dang-ky-vneid", 1, "dang-ky-vneid-muc-1"),
        ("dang-ky-vneid", 2, "dang-ky-vneid-muc-2"),
        ("dang-ky-vneid", 3, None),
        ("khong-co", 1, None),
    ],
)
def test_variant_finds_the_other_level_of_a_family(kb, family, level, slug):
    found = kb.variant(family, level)
    assert (found.slug if found else None) == slug
    if found:
        assert (found.family, found.level) == (family, level)


def test_procedures_without_a_family_have_none(kb):
    procedure = kb.get("kich-hoat-vneid")
    assert procedure.family is None and procedure.level is None


def test_procedure_can_be_built_without_family_and_level(kb):
    # Callers that build a Procedure by hand (tests, actions) need not name the new fields.
    p = kb.get("kich-hoat-vneid")
    fields = {k: getattr(p, k) for k in p.__dataclass_fields__ if k not in ("family", "level")}
    assert Procedure(**fields) == p


def test_from_url_on_a_missing_file_says_run_make_kb(tmp_path):
    path = tmp_path / "nowhere" / "kb.sqlite3"
    with pytest.raises(KnowledgeBaseMissing, match="make kb"):
        KnowledgeBase.from_url(f"sqlite:///{path}")
    assert not path.exists()  # looking must not create an empty database


def test_from_url_on_a_database_without_tables(tmp_path):
    path = tmp_path / "empty.sqlite3"
    create_engine(f"sqlite:///{path}", future=True).connect().close()
    with pytest.raises(KnowledgeBaseMissing, match=r"has no table\(s\) kb_aliases.*make kb"):
        KnowledgeBase.from_url(f"sqlite:///{path}")


def test_every_stored_text_is_nfc(shared_url):
    engine = create_engine(shared_url, future=True)
    checked = 0
    with Session(engine) as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            for row in session.execute(select(*columns)).all():
                for value in row:
                    if value is None:  # an optional column (family) left empty
                        continue
                    assert unicodedata.is_normalized("NFC", value), (table.name, value)
                    checked += 1
    engine.dispose()
    assert checked > 100


def test_importing_the_package_does_not_touch_a_database():
    # In a fresh interpreter, make any engine creation fail, then import every module.
    code = (
        "import sqlalchemy\n"
        "def refuse(*a, **k): raise AssertionError('engine created at import time')\n"
        "sqlalchemy.create_engine = refuse\n"
        "import bot.kb, bot.kb.models, bot.kb.content, bot.kb.loader, bot.kb.queries, bot.kb.__main__\n"
    )
    repo = Path(__file__).resolve().parents[3]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_get_many_keeps_the_order_asked_and_skips_unknown_slugs(loaded):
    kb = KnowledgeBase.from_url(loaded)
    slugs = [slug for slug, _ in kb.titles()][:3][::-1]
    assert [p.slug for p in kb.get_many([*slugs, "khong-co"])] == slugs
    assert kb.get_many([]) == []
