"""Validation of data/kb files: every kind of mistake names the file, the field and the reason."""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot.kb.content import CATEGORIES, ContentError, load_content
from bot.kb.loader import load_kb

REPO = Path(__file__).resolve().parents[3]
CONTENT = REPO / "data" / "kb"

SLUG = "kich-hoat-vneid"
FILE = f"{SLUG}.yml"


def _set(**values):
    return lambda doc: doc.update(values)


def _drop(field):
    return lambda doc: doc.pop(field)


def _write(text, name=FILE):
    def apply(content: Path, edit) -> None:
        (content / "procedures" / name).write_text(text, encoding="utf-8")

    return apply


def _copy_as(name, **values):
    """A second file made from kich-hoat-vneid.yml, with some fields changed."""

    def apply(content: Path, edit) -> None:
        doc = yaml.safe_load((content / "procedures" / FILE).read_text(encoding="utf-8"))
        doc.update(values)
        (content / "procedures" / name).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")

    return apply


def _edit(change, slug=SLUG):
    return lambda content, edit: edit(content, slug, change)


def _first_source_url(url):
    def change(doc):
        doc["sources"][0]["url"] = url

    return change


def _question(**values):
    item = {
        "ask": ["kích hoạt có mất phí không"],
        "answer": "Không mất phí. Bạn kích hoạt ngay trên ứng dụng VNeID.",
        "source": "https://vneid.gov.vn",
        "last_reviewed": "2026-12-07",
    }
    item.update(values)
    return _edit(_set(questions=[{k: v for k, v in item.items() if v is not None}]))


# (id, how to break the content, file, field, reason)
CASES = [
    ("questions not a list", _edit(_set(questions="có mất phí không")), FILE, "questions", "expected a list"),
    (
        "question without answer",
        _question(answer=None),
        FILE,
        "questions[0].answer",
        "this field is required",
    ),
    ("question with unknown field", _question(hint="x"), FILE, "questions[0].hint", "unknown field"),
    ("question without wordings", _question(ask=[]), FILE, "questions[0].ask", "at least one wording"),
    (
        "answer of four sentences",
        _question(answer="Một. Hai. Ba. Bốn."),
        FILE,
        "questions[0].answer",
        "more than 3 sentences",
    ),
    ("answer too long", _question(answer="dài " * 200), FILE, "questions[0].answer", "longer than 450"),
    ("question source not a URL", _question(source="vneid"), FILE, "questions[0].source", "expected an http"),
    (
        "question reviewed in the future",
        _question(last_reviewed="2099-01-01"),
        FILE,
        "questions[0].last_reviewed",
        "is in the future",
    ),
    ("missing field", _edit(_drop("sources")), FILE, "sources", "this field is required"),
    ("misspelt optional field", _edit(_set(levle=1)), FILE, "levle", "unknown field (did you mean 'level'?)"),
    ("family is a number", _edit(_set(family=3)), FILE, "family", "expected text, got a number"),
    ("family not kebab-case", _edit(_set(family="Dang ky")), FILE, "family", "must be kebab-case ASCII"),
    (
        "level is text",
        _edit(_set(family="kich-hoat", level="1")),
        FILE,
        "level",
        "expected the number 1 or 2, got text",
    ),
    ("level is true/false", _edit(_set(family="kich-hoat", level=True)), FILE, "level", "got true/false"),
    ("level is a fraction", _edit(_set(family="kich-hoat", level=1.5)), FILE, "level", "got a number"),
    ("level out of range", _edit(_set(family="kich-hoat", level=3)), FILE, "level", "must be 1 or 2"),
    ("level without family", _edit(_set(level=1)), FILE, "level", "needs `family`"),
    (
        "duplicate family and level",
        _edit(_set(family="dang-ky-vneid", level=2)),
        FILE,
        "level",
        "level 2 of family 'dang-ky-vneid' is already used by",
    ),
    ("unknown field", _edit(_set(sorces=[])), FILE, "sorces", "unknown field (did you mean 'sources'?)"),
    ("text is a number", _edit(_set(title=123)), FILE, "title", "expected text, got a number"),
    (
        "list is text",
        _edit(_set(steps="Mở ứng dụng")),
        FILE,
        "steps",
        "expected a list of step entries, got text",
    ),
    (
        "list item not text",
        _edit(_set(steps=[1, "Mở ứng dụng"])),
        FILE,
        "steps[0]",
        "expected text, got a number",
    ),
    ("empty text", _edit(_set(summary="   ")), FILE, "summary", "must not be empty"),
    ("empty list item", _edit(_set(aliases=["kích hoạt", ""])), FILE, "aliases[1]", "must not be empty"),
    ("no source", _edit(_set(sources=[])), FILE, "sources", "at least one source is required"),
    ("no step", _edit(_set(steps=[])), FILE, "steps", "at least one step is required"),
    (
        "not NFC",
        _edit(_set(title=unicodedata.normalize("NFD", "Kích hoạt"))),
        FILE,
        "title",
        "not in Unicode NFC",
    ),
    (
        "non-http URL",
        _edit(_first_source_url("ftp://vneid.gov.vn")),
        FILE,
        "sources[0].url",
        "expected an http:// or https:// URL, got 'ftp://vneid.gov.vn'",
    ),
    ("URL without host", _edit(_first_source_url("https://")), FILE, "sources[0].url", "expected an http"),
    (
        "link without url",
        _edit(_set(official_links=[{"title": "VNeID"}])),
        FILE,
        "official_links[0].url",
        "this field is required",
    ),
    (
        "link with an unknown key",
        _edit(_set(official_links=[{"title": "VNeID", "url": "https://vneid.gov.vn", "lang": "vi"}])),
        FILE,
        "official_links[0].lang",
        "unknown field; a link has only title and url",
    ),
    (
        "official link to a press site",
        _edit(_set(official_links=[{"title": "Báo", "url": "https://vnexpress.net/vneid"}])),
        FILE,
        "official_links[0].url",
        "https://vnexpress.net/vneid is not an official site (*.gov.vn, *.chinhphu.vn",
    ),
    (
        "official link that only looks official",
        _edit(_set(official_links=[{"title": "Giả", "url": "https://vneid.gov.vn.example.com/"}])),
        FILE,
        "official_links[0].url",
        "is not an official site",
    ),
    ("no official link", _edit(_set(official_links=[])), FILE, "official_links", "at least one official"),
    (
        "alias too long",
        _edit(_set(aliases=["kích hoạt " * 20])),
        FILE,
        "aliases[0]",
        "is longer than 100 characters",
    ),
    (
        "link is text",
        _edit(_set(official_links=["https://vneid.gov.vn"])),
        FILE,
        "official_links[0]",
        "expected a mapping with title and url, got text",
    ),
    (
        "future review date",
        _edit(_set(last_reviewed="2999-01-01")),
        FILE,
        "last_reviewed",
        "is in the future",
    ),
    (
        "unparseable date",
        _edit(_set(last_reviewed="22/11/2026")),
        FILE,
        "last_reviewed",
        "expected a date written YYYY-MM-DD, got '22/11/2026'",
    ),
    (
        "impossible date",
        _edit(_set(last_reviewed="2026-02-30")),
        FILE,
        "last_reviewed",
        "expected a date written YYYY-MM-DD, got '2026-02-30'",
    ),
    ("slug is not the file name", _edit(_set(slug="kich-hoat")), FILE, "slug", "must match the file name"),
    ("slug not kebab-case", _edit(_set(slug="Kich_Hoat_VNeID")), FILE, "slug", "must be kebab-case ASCII"),
    ("bad intent name", _edit(_set(intent="Ask-Activate")), FILE, "intent", "must be a Rasa intent name"),
    (
        "unknown category",
        _edit(_set(category="cong_an_xa")),
        FILE,
        "category",
        f"must be one of {', '.join(CATEGORIES)}; got 'cong_an_xa'",
    ),
    (
        "where ends with a full stop",
        _edit(_set(where="Trên ứng dụng VNeID.")),
        FILE,
        "where",
        "must not end with a full stop",
    ),
    (
        "review_by not a date",
        _edit(_set(review_by="31/12/2026")),
        FILE,
        "review_by",
        "expected a date written YYYY-MM-DD",
    ),
    (
        "review_by before the last review",
        _edit(_set(last_reviewed="2026-11-01", review_by="2026-10-31")),
        FILE,
        "review_by",
        "is not after last_reviewed 2026-11-01",
    ),
    (
        "an editor's remark in a step",
        _edit(
            lambda d: d["steps"].__setitem__(0, "Số này chúng tôi chưa kiểm chứng được nên chưa đưa ở đây.")
        ),
        FILE,
        "steps[0]",
        "reads like a note to editors",
    ),
    (
        "alias repeated in one file",
        _edit(_set(aliases=["kích hoạt VNeID", "Kich hoat vneid"])),
        FILE,
        "aliases[1]",
        "repeats aliases[0]",
    ),
    (
        "duplicate slug",
        _copy_as("ban-sao.yml", intent="ask_copy", aliases=["bản sao"]),
        "ban-sao.yml",
        "slug",
        f"'{SLUG}' is already used by",
    ),
    (
        "duplicate intent",
        _edit(_set(intent="ask_activate_account"), slug="quen-mat-khau-vneid"),
        "quen-mat-khau-vneid.yml",
        "intent",
        "'ask_activate_account' is already used by",
    ),
    (
        "duplicate alias after folding",
        _edit(_set(aliases=["KICH HOAT VNEID"]), slug="quen-mat-khau-vneid"),
        "quen-mat-khau-vneid.yml",
        "aliases",
        "alias 'kich hoat vneid' (ignoring case and accents) is already used by",
    ),
    (
        "YAML syntax error",
        _write("slug: kich-hoat-vneid\ntitle: [chưa đóng\n"),
        FILE,
        "(file)",
        "invalid YAML at line",
    ),
    ("repeated YAML key", _write("slug: a\nslug: b\n"), FILE, "(file)", "the key 'slug' appears twice"),
    (
        "not a mapping",
        _write("- kích hoạt\n- VNeID\n"),
        FILE,
        "(file)",
        "expected a mapping of fields at the top level, got a list",
    ),
    ("empty file", _write(""), FILE, "(file)", "the file is empty"),
    (
        "not UTF-8",
        lambda c, _: (c / "procedures" / FILE).write_bytes("tên: Kích".encode("utf-16")),
        FILE,
        "(file)",
        "is not UTF-8 text",
    ),
]


@pytest.mark.parametrize("breakage, file, field, reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_content_is_reported_and_leaves_the_db_untouched(
    content, loaded, dump, edit, count, breakage, file, field, reason
):
    before = dump(loaded)
    assert len(before["kb_procedures"]) == count, "the fixture should have loaded the real content"
    breakage(content, edit)

    with pytest.raises(ContentError) as caught:
        load_kb(content, loaded)

    matching = [e for e in caught.value.errors if e.file.endswith(file) and e.field == field]
    assert matching, f"no error for {file} {field}; got: {caught.value.errors}"
    assert any(reason in e.reason for e in matching), matching
    assert reason in str(caught.value)  # the message lists every error line
    assert dump(loaded) == before


def test_errors_from_all_files_are_collected_in_one_error(content, edit):
    edit(content, "kich-hoat-vneid", lambda d: d.pop("steps"))
    edit(content, "quen-mat-khau-vneid", lambda d: d.update(fee="", sources=[]))

    with pytest.raises(ContentError) as caught:
        load_content(content)

    found = {(Path(e.file).name, e.field) for e in caught.value.errors}
    assert found == {
        ("kich-hoat-vneid.yml", "steps"),
        ("quen-mat-khau-vneid.yml", "fee"),
        ("quen-mat-khau-vneid.yml", "sources"),
    }
    line = next(str(e) for e in caught.value.errors if e.field == "sources")
    assert line.endswith("quen-mat-khau-vneid.yml: sources: at least one source is required")


def test_missing_folder_and_empty_folder_are_errors(tmp_path):
    with pytest.raises(ContentError, match="procedures folder does not exist"):
        load_content(tmp_path)
    (tmp_path / "procedures").mkdir()
    with pytest.raises(ContentError, match=r"no procedure files \(\*\.yml\) found"):
        load_content(tmp_path)


def test_a_review_date_one_day_ahead_is_accepted_for_time_zones(content, count):
    newest = max(
        datetime.date.fromisoformat(str(value).strip("'\""))
        for path in (content / "procedures").glob("*.yml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if (value := line.strip().partition("last_reviewed:")[2].strip())
    )
    entries = load_content(content, today=newest - datetime.timedelta(days=1))
    assert len(entries) == count
    with pytest.raises(ContentError, match="is in the future"):
        load_content(content, today=newest - datetime.timedelta(days=2))


# --- the real content ---------------------------------------------------------

# The topics of issue 3: slug -> intent (each intent is also declared in domain.yml).
EXPECTED = {
    "muc-do-tai-khoan-vneid": "ask_account_levels",
    "dang-ky-vneid-muc-1": "ask_register_level1",
    "dang-ky-vneid-muc-2": "ask_register_level2",
    "kich-hoat-vneid": "ask_activate_account",
    "quen-mat-khau-vneid": "ask_reset_password",
    "doi-so-dien-thoai-vneid": "ask_change_phone",
    "dang-nhap-vneid-thiet-bi-moi": "ask_new_device",
    "khong-nhan-duoc-otp": "ask_otp_not_received",
    "khoa-mo-khoa-vneid": "ask_lock_account",
    "tich-hop-giay-to-vneid": "ask_integrate_documents",
    "vneid-cho-tre-em": "ask_vneid_children",
    "khong-co-smartphone": "ask_no_smartphone",
    "loi-thuong-gap-vneid": "ask_vneid_errors",
    "tong-dai-ho-tro": "ask_hotline",
    "cap-the-can-cuoc": "ask_id_card",
    "cap-lai-the-can-cuoc": "ask_id_card_lost",
    "can-cuoc-cho-tre-em": "ask_id_card_children",
    "dang-nhap-dich-vu-cong": "ask_login_public_service",
    "nop-ho-so-truc-tuyen": "ask_submit_dossier",
    "thanh-toan-truc-tuyen": "ask_pay_online",
    "tra-cuu-ho-so": "ask_track_dossier",
    "dang-ky-thuong-tru": "ask_permanent_residence",
    "dang-ky-tam-tru": "ask_temporary_residence",
    "khai-bao-tam-vang": "ask_temporary_absence",
    "khai-sinh-lien-thong": "ask_birth_registration",
    "doi-giay-phep-lai-xe": "ask_driving_licence",
    "ly-lich-tu-phap": "ask_criminal_record",
    "buu-dien-ho-tro-dich-vu-cong": "ask_post_office_help",
    "tim-buu-dien": "ask_find_post_office",
    "canh-bao-lua-dao": "ask_scam",
}
CATEGORY = {
    "cap-the-can-cuoc": "can_cuoc",
    "cap-lai-the-can-cuoc": "can_cuoc",
    "can-cuoc-cho-tre-em": "can_cuoc",
    "buu-dien-ho-tro-dich-vu-cong": "buu_dien",
    "tim-buu-dien": "buu_dien",
    "canh-bao-lua-dao": "an_toan",
    **{
        slug: "dich_vu_cong"
        for slug in (
            "dang-nhap-dich-vu-cong",
            "nop-ho-so-truc-tuyen",
            "thanh-toan-truc-tuyen",
            "tra-cuu-ho-so",
            "dang-ky-thuong-tru",
            "dang-ky-tam-tru",
            "khai-bao-tam-vang",
            "khai-sinh-lien-thong",
            "doi-giay-phep-lai-xe",
            "ly-lich-tu-phap",
        )
    },
}
# VNeID itself is free, but these entries cover more than VNeID: the 1900 hotline costs
# the caller the operator's call charge, and the help for people without a smartphone may
# include a procedure's own fee or postage. Their fee starts with "Miễn phí" and says so.
FEE_NOT_JUST_FREE = {
    "tong-dai-ho-tro",
    "khong-co-smartphone",
    "di-may-bay-vneid",
    "so-do-tren-vneid",
    "tien-ich-vneid-muc-2",
}


@pytest.fixture(scope="module")
def entries():
    return load_content(CONTENT)


# The topics issue 15 added: slug -> intent.
ADDED_2026 = {
    "dich-vu-cong-chi-truc-tuyen": "ask_online_only_services",
    "noi-lam-thu-tuc-hai-cap": "ask_where_to_go_two_tier",
    "giay-to-sau-sap-nhap": "ask_papers_after_merger",
    "lien-thong-khai-tu": "ask_death_registration",
    "dang-ky-ket-hon": "ask_marriage_registration",
    "cap-ho-chieu": "ask_passport",
    "thong-bao-luu-tru": "ask_stay_notification",
    "thue-ho-kinh-doanh": "ask_household_business_tax",
    "bao-hiem-y-te-vneid": "ask_health_insurance",
    "bhxh-vssid-vneid": "ask_social_insurance",
    "luong-huu-an-sinh": "ask_pension_payment",
    "dang-ky-xe": "ask_vehicle_registration",
    "so-do-tren-vneid": "ask_land_certificate_vneid",
    "di-may-bay-vneid": "ask_fly_with_vneid",
    "tien-ich-vneid-muc-2": "ask_level2_features",
}


def test_real_content_has_the_topics_of_the_topic_table(entries):
    assert {e.procedure.slug: e.procedure.intent for e in entries} == {**EXPECTED, **ADDED_2026}
    for e in entries:
        if e.procedure.slug in EXPECTED:
            assert e.procedure.category == CATEGORY.get(e.procedure.slug, "vneid"), e.procedure.slug
    assert "Kích hoạt tài khoản định danh điện tử (VNeID)" in next(
        e.procedure.title for e in entries if e.procedure.slug == "kich-hoat-vneid"
    )


LEGAL_NUMBER = re.compile(
    r"\d+/\d{4}/[A-ZĐ]|(?:thông tư|nghị định|nghị quyết|quyết định|chỉ thị)\s+(?:số\s+)?\d", re.IGNORECASE
)


def test_real_content_follows_the_style_rules(entries):
    for e in entries:
        p = e.procedure
        assert 4 <= len(p.steps) <= 7, p.slug
        assert 2 <= len(p.sources) <= 8, p.slug
        assert 3 <= len(e.aliases) <= 10, p.slug
        assert p.last_reviewed >= datetime.date(2026, 11, 22), p.slug
        # Legal numbers go in legal_basis: a fee or a step says what to do and pay, plainly.
        for field, value in [("fee", p.fee), *((f"steps[{i}]", t) for i, t in enumerate(p.steps))]:
            assert not LEGAL_NUMBER.search(value), f"{p.slug} {field}: {LEGAL_NUMBER.search(value).group(0)}"
        assert p.category in CATEGORIES
        answers = [q.answer for q in p.questions]
        text = " ".join(
            [p.title, p.summary, p.where, p.fee, p.processing_time, *p.steps, *p.papers, *answers]
        )
        text = text.lower()
        # "nay không còn cấp huyện" may explain the change; an office of the district may not be named.
        assert not re.search(r"(công an|ủy ban nhân dân|ubnd)( cấp)? huyện", text), (
            f"{p.slug}: no district level"
        )
        for q in p.questions:
            assert q.source.startswith("https://") or q.source.startswith("http://"), p.slug
            assert len(q.ask) >= 2, f"{p.slug}: {q.answer[:40]}: say how people ask it, more than one way"
        if p.category == "vneid" and p.slug in FEE_NOT_JUST_FREE:
            assert p.fee.startswith("Miễn phí") and p.fee != "Miễn phí", p.slug
        elif p.category == "vneid":
            assert p.fee == "Miễn phí", p.slug


def test_registration_entries_are_the_two_levels_of_one_family(entries):
    variants = {
        (e.procedure.family, e.procedure.level): e.procedure.slug for e in entries if e.procedure.level
    }
    assert variants[("dang-ky-vneid", 1)] == "dang-ky-vneid-muc-1"
    assert variants[("dang-ky-vneid", 2)] == "dang-ky-vneid-muc-2"


def test_an_entry_without_family_and_level_loads_with_none(entries):
    p = next(e.procedure for e in entries if e.procedure.slug == "kich-hoat-vneid")
    assert p.family is None and p.level is None


def test_family_without_level_is_allowed(content, edit):
    edit(content, SLUG, lambda d: d.update(family="kich-hoat"))
    p = next(e.procedure for e in load_content(content) if e.procedure.slug == SLUG)
    assert (p.family, p.level) == ("kich-hoat", None)


def test_same_level_in_two_families_is_allowed(content, edit):
    edit(content, SLUG, lambda d: d.update(family="kich-hoat", level=2))
    assert any(e.procedure.level == 2 and e.procedure.slug == SLUG for e in load_content(content))


def test_content_files_are_nfc():
    for path in sorted((CONTENT / "procedures").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path.name


def test_every_kb_intent_is_declared_in_the_domain(entries):
    domain = REPO / "domain.yml"
    if not domain.is_file():
        pytest.skip("domain.yml not present")
    intents = yaml.safe_load(domain.read_text(encoding="utf-8")).get("intents", [])
    names = {i if isinstance(i, str) else next(iter(i)) for i in intents}
    assert {e.procedure.intent for e in entries} <= names


def test_questions_load_with_their_wordings_answer_source_and_date(content, edit, url):
    from bot.kb.queries import KnowledgeBase

    wordings = ["kích hoạt có mất phí không", "kich hoat co mat tien ko"]
    item = {
        "ask": wordings,
        "answer": "Không mất phí. Bạn kích hoạt ngay trên ứng dụng VNeID.",
        "source": "https://vneid.gov.vn",
        "last_reviewed": "2026-12-01",
    }
    edit(content, SLUG, lambda d: d.update(questions=[item]))
    load_kb(content, url)
    kb = KnowledgeBase.from_url(url)
    try:
        (answer,) = kb.get(SLUG).questions
    finally:
        kb.engine.dispose()
    assert answer.ask == tuple(wordings)
    assert answer.answer == item["answer"] and answer.source == item["source"]
    assert answer.last_reviewed == datetime.date(2026, 12, 1)


def test_the_stamp_changes_when_different_content_is_loaded(content, edit, url):
    from bot.kb.queries import KnowledgeBase

    load_kb(content, url)
    kb = KnowledgeBase.from_url(url)
    try:
        before = kb.stamp()
        load_kb(content, url)
        assert kb.stamp() == before  # the same content again
        edit(content, SLUG, lambda d: d.update(aliases=[*d["aliases"], "mở tài khoản VNeID lần đầu"]))
        load_kb(content, url)
        assert kb.stamp() != before
    finally:
        kb.engine.dispose()


def test_review_by_may_lie_ahead_and_is_stored(content, edit, url):
    edit(content, SLUG, lambda d: d.update(last_reviewed="2026-11-01", review_by="2027-12-31"))
    load_kb(content, url, today=datetime.date(2026, 12, 7))
    from bot.kb.queries import KnowledgeBase

    kb = KnowledgeBase.from_url(url)
    try:
        assert kb.get(SLUG).review_by == datetime.date(2027, 12, 31)
        assert kb.get("quen-mat-khau-vneid").review_by is None
    finally:
        kb.engine.dispose()
