from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.kb.models import make_engine
from bot.places.importer import HelpPointsError, RowIssue, read_help_points
from bot.places.loader import import_help_points
from bot.places.models import HelpPointRow, PlacesBase

TODAY = datetime.date(2026, 11, 22)


def issues(paths, units):
    with pytest.raises(HelpPointsError) as caught:
        read_help_points(paths, units, today=TODAY)
    return caught.value.errors


def dump(url):
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {
                t.name: sorted(tuple(r) for r in session.execute(select(t)).all())
                for t in PlacesBase.metadata.sorted_tables
                if t.name in ("places_help_points", "places_openings")
            }
    finally:
        engine.dispose()


def test_valid_rows_resolve_names_and_codes_to_todays_communes(csv_file, rows, units):
    points = read_help_points([csv_file(rows)], units, today=TODAY)
    by_code = {p.code: p for p in points}
    communes = {c.code: c.name for c in units.communes}
    assert communes[by_code["T-SG"].commune_code] == "Phường Sài Gòn"
    assert communes[by_code["T-BT"].commune_code] == "Phường Bến Thành"  # "Bến Thành" in province "79"
    assert communes[by_code["T-CL"].commune_code] == "Xã Cam Lộ"
    assert by_code["T-SG"].services == ("vneid", "dich_vu_cong")
    assert len(by_code["T-SG"].periods) == 2 * 5 + 1 + 1


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("code", "MAU 1", "may hold only letters"),
        ("kind", "ngan_hang", "is not one of buu_dien, mot_cua, cong_an"),
        ("name", " ", "is empty"),
        ("commune", "Huyện Cam Lộ", "as a former name it is now in: Xã Cam Lộ, Xã Hiếu Giang"),
        ("commune", "Phường Cam Lộ", "is not a commune or ward of Tỉnh Quảng Trị today"),
        ("commune", "26734", "is not a commune or ward of Tỉnh Quảng Trị"),  # a ward of HCMC
        ("province", "Quảng Bình", "former province; since 1/7/2025 it is part of Tỉnh Quảng Trị"),
        ("province", "Xứ Đoài", "is not one of today's 34 provinces"),
        ("latitude", "16,808", "use a dot for decimals"),
        ("latitude", "107.001", "outside Vietnam"),
        ("longitude", "abc", "is not a number"),
        ("hours", "T2-T6 7h-17h", "is not a time like 07:30"),
        ("phone", "123", "is not a phone number"),
        ("services", "vneid;karaoke", "'karaoke' is not one of"),
        ("services", "vneid;vneid", "lists a service twice"),
        ("source_url", "www.vnpost.vn", "is not an http(s) address"),
        ("last_reviewed", "22/11/2026", "is not a date like"),
        ("last_reviewed", "2026-12-01", "is in the future"),
        ("address", "x" * 301, "is longer than 300 characters"),
    ],
)
def test_each_mistake_is_reported_with_file_line_field_and_reason(
    csv_file, rows, units, field, value, reason
):
    rows[2][field] = value
    path = csv_file(rows)
    found = issues([path], units)
    assert [(i.file, i.line, i.field) for i in found] == [(str(path), 4, field)]
    assert reason in found[0].reason
    assert str(found[0]).startswith(f"{path}:4:{field}: ")


def test_every_row_is_checked_before_anything_is_raised(csv_file, rows, units):
    rows[0]["kind"] = "x"
    rows[2]["latitude"] = "x"
    rows[2]["hours"] = "x"
    assert [(i.line, i.field) for i in issues([csv_file(rows)], units)] == [
        (2, "kind"),
        (4, "latitude"),
        (4, "hours"),
    ]


def test_line_numbers_count_lines_of_quoted_multi_line_fields(csv_file, rows, units):
    rows[0]["note"] = "first line\nsecond line"
    rows[1]["kind"] = "x"
    assert [(i.line, i.field) for i in issues([csv_file(rows)], units)] == [(4, "kind")]


def test_header_mistakes(csv_file, rows, units):
    unknown = csv_file(rows, columns=[*[c for c in rows[0] if c != "phone"], "colour"])
    found = issues([unknown], units)
    assert [(i.line, i.field) for i in found] == [(1, "colour")]
    missing = csv_file(rows, columns=[c for c in rows[0] if c != "hours"])
    assert [(i.line, i.field, i.reason) for i in issues([missing], units)] == [
        (1, "hours", "column is missing")
    ]


def test_short_and_long_rows_and_blank_lines(tmp_path, csv_file, rows, units):
    path = csv_file(rows)
    text = path.read_text(encoding="utf-8").splitlines()
    text.insert(2, "")  # a blank line is skipped, but still counted
    text.append("T-X,buu_dien,short")
    text.append(text[1] + ",extra")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    found = issues([path], units)
    assert [(i.line, i.field) for i in found[:2]] == [(6, "-"), (7, "-")]


def test_whole_file_problems(tmp_path, units):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("code,kind\nA,bưu".encode("cp1258", errors="replace") + b"\xff")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    found = issues([latin1, empty, tmp_path / "missing.csv"], units)
    assert [(Path(i.file).name, i.line) for i in found] == [
        ("latin1.csv", 0),
        ("empty.csv", 1),
        ("missing.csv", 0),
    ]
    assert "is not UTF-8" in found[0].reason


def test_a_utf8_bom_and_decomposed_text_are_accepted(tmp_path, csv_file, rows, units):
    rows[0]["name"] = "Bưu điện Thử Sài Gòn".encode().decode()  # NFC
    path = csv_file(rows)
    import unicodedata

    nfd = unicodedata.normalize("NFD", path.read_text(encoding="utf-8"))
    path.write_text("\ufeff" + nfd, encoding="utf-8")
    points = read_help_points([path], units, today=TODAY)
    assert points[0].name == "Bưu điện Thử Sài Gòn"


def test_a_code_used_twice_is_reported_at_the_second_use(csv_file, rows, units):
    first = csv_file(rows)
    second = csv_file([rows[1]])
    assert issues([first, second], units) == [
        RowIssue(str(second), 2, "code", f"'T-BT' is already used at {first}:3")
    ]


def test_import_is_idempotent_and_updates_by_code(csv_file, rows, db_url):
    path = csv_file(rows)
    report = import_help_points([path], db_url, today=TODAY)
    assert (report.added, report.updated, report.unchanged, report.removed) == (3, 0, 0, 0)
    before = dump(db_url)
    again = import_help_points([path], db_url, today=TODAY)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert dump(db_url) == before

    rows[0]["hours"] = "T2-T6 08:00-16:00"
    changed = import_help_points([csv_file(rows)], db_url, today=TODAY)
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 2)
    engine = make_engine(db_url)
    with Session(engine) as session:
        point = session.scalars(select(HelpPointRow).where(HelpPointRow.code == "T-SG")).one()
        assert [(o.weekday, o.opens, o.closes) for o in point.openings] == [(d, 480, 960) for d in range(5)]
    engine.dispose()


def test_a_bad_file_imports_nothing_and_keeps_what_was_there(csv_file, rows, db_url):
    import_help_points([csv_file(rows)], db_url, today=TODAY)
    before = dump(db_url)
    rows[0]["name"] = "Tên mới"  # a valid change ...
    rows[2]["latitude"] = "north"  # ... in the same import as a mistake
    with pytest.raises(HelpPointsError):
        import_help_points([csv_file(rows)], db_url, today=TODAY)
    assert dump(db_url) == before


def test_prune_removes_points_no_file_lists(csv_file, rows, db_url):
    import_help_points([csv_file(rows)], db_url, today=TODAY)
    kept = import_help_points([csv_file(rows[:1])], db_url, today=TODAY)
    assert kept.removed == 0
    pruned = import_help_points([csv_file(rows[:1])], db_url, prune=True, today=TODAY)
    assert (pruned.unchanged, pruned.removed) == (1, 2)


def test_the_shipped_sample_is_valid_and_labelled(units):
    sample = Path(__file__).resolve().parents[3] / "data" / "kb" / "help_points" / "sample.csv"
    points = read_help_points([sample], units)
    assert len(points) >= 20
    # A sample must say so: operators replace it with the real list (README).
    assert all(p.code.startswith("MAU-") and p.note.startswith("MẪU") for p in points)


def test_communes_told_apart_only_by_their_marks(csv_file, rows, units):
    # Tây Ninh has both "Xã Tân Thạnh" and "Xã Tân Thành": the marks decide ...
    rows[2].update(commune="Xã Tân Thạnh", province="Tây Ninh", latitude="10.9", longitude="106.2")
    rows[1].update(commune="Tân Thành", province="Tây Ninh", latitude="10.9", longitude="106.2")
    points = read_help_points([csv_file(rows)], units, today=TODAY)
    names = {c.code: c.name for c in units.communes}
    assert [names[p.commune_code] for p in points[1:]] == ["Xã Tân Thành", "Xã Tân Thạnh"]
    # ... and without them, the code must: the message lists both.
    rows[2]["commune"] = "xa tan thanh"
    found = issues([csv_file(rows)], units)
    assert [(i.line, i.field) for i in found] == [(4, "commune")]
    assert "is ambiguous in Tỉnh Tây Ninh: give the code" in found[0].reason
