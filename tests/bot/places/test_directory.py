from __future__ import annotations

import datetime

import pytest

from bot.places.directory import DirectoryMissing, HelpPointDirectory, distance_km
from bot.places.loader import import_help_points

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def places(csv_file, rows, mapped_db_url) -> HelpPointDirectory:
    import_help_points([csv_file(rows)], mapped_db_url, today=TODAY)
    return HelpPointDirectory.from_url(mapped_db_url)


def test_distance_is_great_circle_km():
    assert distance_km(10.0, 106.0, 11.0, 106.0) == pytest.approx(111.2, abs=0.1)
    assert distance_km(10.0, 106.0, 10.0, 106.0) == 0


def test_nearest_first_with_distances(places):
    # Near Bến Thành market: the ward's desk (~0.6 km) before the central post office (~0.9 km).
    found = places.search(near=(10.7725, 106.6980))
    assert [f.point.code for f in found] == ["T-BT", "T-SG", "T-CL"]
    assert [round(f.distance_km, 1) for f in found[:2]] == [0.6, 0.9]
    assert found[2].distance_km > 600


def test_kind_filter_and_area_filter(places):
    assert [f.point.code for f in places.search(near=(10.7725, 106.6980), kinds=frozenset({"buu_dien"}))] == [
        "T-SG",
        "T-CL",
    ]
    area = places.areas("huyen cam lo")[0]
    assert [f.point.code for f in places.search(area)] == ["T-CL"]
    district_1 = places.areas("quan 1 cu")[0]  # Bến Thành and Sài Gòn wards today
    assert {f.point.code for f in places.search(district_1)} == {"T-BT", "T-SG"}


def test_without_coordinates_the_named_commune_comes_first(places):
    area = places.areas("phuong ben thanh quan 1")[0]
    assert [f.point.code for f in places.search(area)] == ["T-BT"]
    district_1 = places.areas("quan 1 tphcm")[0]
    codes = [f.point.code for f in places.search(district_1)]
    assert codes == ["T-SG", "T-BT"]  # no commune named: post offices, then one-stop desks


def test_a_commune_without_points_can_look_province_wide(places):
    area = places.areas("xa hieu giang quang tri")[0]
    assert places.search(area) == []
    wider = places.province_area(area.province_code)
    assert [f.point.code for f in places.search(wider)] == ["T-CL"]


def test_points_carry_what_the_reply_needs(places):
    point = places.by_code("T-SG")
    assert (point.commune, point.province) == ("Phường Sài Gòn", "Thành phố Hồ Chí Minh")
    assert point.services == ("vneid", "dich_vu_cong")
    sunday_morning = datetime.datetime(2026, 11, 22, 9, 0)
    assert point.status(sunday_morning).is_open


def test_a_database_without_the_tables_says_run_make_kb(tmp_path):
    with pytest.raises(DirectoryMissing, match="make kb"):
        HelpPointDirectory.from_url(f"sqlite:///{tmp_path / 'empty.sqlite3'}")


def test_a_limited_nearest_search_keeps_the_same_order(places):
    full = places.search(near=(10.7725, 106.6980))
    assert places.search(near=(10.7725, 106.6980), limit=2) == full[:2]


def test_the_change_stamp_moves_only_when_an_import_changes_something(csv_file, rows, db_url):
    import_help_points([csv_file(rows)], db_url, today=TODAY)
    first = HelpPointDirectory.stamp(db_url)
    import_help_points([csv_file(rows)], db_url, today=TODAY)
    assert HelpPointDirectory.stamp(db_url) == first  # nothing changed: readers keep theirs
    rows[0]["name"] = "Bưu điện Thử Sài Gòn (mới)"
    import_help_points([csv_file(rows)], db_url, today=TODAY)
    assert HelpPointDirectory.stamp(db_url) not in (None, first)
