from __future__ import annotations

from bot.places.models import FORMER_DISTRICT, FORMER_PROVINCE
from bot.places.units import match_key, short_name, summary


def test_todays_map_has_34_provinces_and_their_communes(units):
    counts = summary(units)
    assert counts["provinces"] == 34
    assert counts["communes"] == 3321
    provinces = {p.code for p in units.provinces}
    assert all(c.province_code in provinces for c in units.communes)
    assert len({c.code for c in units.communes}) == counts["communes"]


def test_every_former_province_and_district_maps_to_today(units):
    former_provinces = {f.name: f.province_code for f in units.former if f.level == FORMER_PROVINCE}
    names = {p.code: p.name for p in units.provinces}
    assert len(former_provinces) == 63 - 34  # provinces whose name did not survive 1/7/2025
    assert names[former_provinces["Tỉnh Quảng Bình"]] == "Tỉnh Quảng Trị"
    assert names[former_provinces["Tỉnh Bình Dương"]] == "Thành phố Hồ Chí Minh"
    districts = {(f.name, f.former_province) for f in units.former if f.level == FORMER_DISTRICT}
    assert len(districts) > 650  # about 700 districts, towns and cities before 2025
    communes = {c.code: c.name for c in units.communes}
    cam_lo = {communes[f.commune_code] for f in units.former if f.name == "Huyện Cam Lộ"}
    assert cam_lo == {"Xã Cam Lộ", "Xã Hiếu Giang"}


def test_almost_every_old_to_new_row_finds_todays_commune(units):
    # A few rows of the mapping name no new ward or spell it differently; they are counted.
    assert units.unmatched < 0.01 * sum(1 for _ in units.former)


def test_short_names_and_keys():
    assert short_name("Phường Bến Thành") == "Bến Thành"
    assert short_name("Thành phố Hồ Chí Minh") == "Hồ Chí Minh"
    assert short_name("Phường 12") == "Phường 12"  # a number alone is no name
    assert match_key("Xã Cư M'gar") == match_key("xa cu mgar") == "cumgar"


def test_place_names_are_the_maps_names_without_type_words() -> None:
    from bot.places.units import build_units, place_names

    names = place_names()
    assert names == sorted(set(names))
    assert {"Huế", "Hà Nội", "Bến Thành", "Krông Pắc"} <= set(names)  # province, commune, former district
    assert not {"Phường Bến Thành", "Tỉnh Đắk Lắk", "Huyện Krông Pắc", "Thành phố Huế"} & set(names)
    # one-syllable names only for provinces
    provinces = {p.short_name for p in build_units().provinces}
    assert all(len(n.split()) >= 2 or n in provinces or n == "Huế" for n in names)
