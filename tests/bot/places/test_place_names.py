"""Which of today's units a message names: current and former names, accents, typos."""

from __future__ import annotations

import pytest

from bot.places.directory import HelpPointDirectory


@pytest.fixture(scope="module")
def places(kb_url) -> HelpPointDirectory:
    return HelpPointDirectory.from_url(kb_url)


def first(places, text):
    areas = places.areas(text)
    assert areas, f"no place found in {text!r}"
    area = areas[0]
    return places.provinces[area.province_code], {places.communes[c][0] for c in area.communes}


@pytest.mark.parametrize(
    "text, province, communes",
    [
        # today's names, with and without diacritics
        ("bưu điện gần nhất ở phường Bến Thành", "Thành phố Hồ Chí Minh", {"Phường Bến Thành"}),
        ("xa Nghi Loc co buu dien ho tro lam vneid ko", "Tỉnh Nghệ An", {"Xã Nghi Lộc"}),
        ("xã nghi lôc", "Tỉnh Nghệ An", {"Xã Nghi Lộc"}),
        ("công an phường Sài Gòn", "Thành phố Hồ Chí Minh", {"Phường Sài Gòn"}),
        # former district (pre-2025) -> the communes its area went to
        ("bưu điện huyện Cam Lộ thứ 7 có mở cửa không", "Tỉnh Quảng Trị", {"Xã Cam Lộ", "Xã Hiếu Giang"}),
        ("buu dien huyen cam lo", "Tỉnh Quảng Trị", {"Xã Cam Lộ", "Xã Hiếu Giang"}),
        (
            "buu dien quan 1 tp hcm",
            "Thành phố Hồ Chí Minh",
            {"Phường Bến Thành", "Phường Cầu Ông Lãnh", "Phường Sài Gòn", "Phường Tân Định"},
        ),
        # former commune, alone or with its former district
        ("bưu điện thị trấn Quán Hành", "Tỉnh Nghệ An", {"Xã Nghi Lộc"}),
        ("buu dien xa Dien Hoa huyen Nghi Loc", "Tỉnh Nghệ An", {"Xã Nghi Lộc"}),
        ("phuong 12 go vap", "Thành phố Hồ Chí Minh", {"Phường An Hội Tây"}),
        # misspelt
        ("ben tanh", "Thành phố Hồ Chí Minh", {"Phường Bến Thành"}),
        ("buu dien o phuong ben thnah", "Thành phố Hồ Chí Minh", {"Phường Bến Thành"}),
        ("xa nghi locc", "Tỉnh Nghệ An", {"Xã Nghi Lộc"}),
        # two communes of one province whose names differ only in their marks
        ("xã Tân Thạnh, Tây Ninh", "Tỉnh Tây Ninh", {"Xã Tân Thạnh"}),
    ],
)
def test_names_resolve_to_todays_communes(places, text, province, communes):
    assert first(places, text) == (province, communes)


@pytest.mark.parametrize(
    "text, province",
    [
        ("buu dien Quang Binh", "Tỉnh Quảng Trị"),  # a former province
        ("bưu điện ở Huế", "Thành phố Huế"),  # one syllable, but a province
        ("ho chi minh", "Thành phố Hồ Chí Minh"),  # everyday syllables, but a province
        ("buu dien tp vinh", "Tỉnh Nghệ An"),  # a former city
    ],
)
def test_wider_names(places, text, province):
    assert first(places, text)[0] == province


@pytest.mark.parametrize(
    "text",
    [
        "bưu điện gần nhất ở đâu",
        "chu nhat co mo cua ko",
        "mo cua luc may gio",
        "co buu dien nao gan day khong",
        "",
    ],
)
def test_questions_without_a_place_name_none(places, text):
    assert places.areas(text) == []


def test_a_label_explains_a_former_name_in_todays_terms(places):
    area = places.areas("huyen cam lo")[0]
    assert places.area_label(area) == "Huyện Cam Lộ (cũ), nay là Xã Cam Lộ và Xã Hiếu Giang, Tỉnh Quảng Trị"
    assert places.area_label(places.areas("phuong ben thanh")[0]) == "Phường Bến Thành, Thành phố Hồ Chí Minh"


def test_without_marks_namesakes_stay_together(places):
    # Unmarked, "tan thanh" is both of today's communes (and former ones of that name there).
    province, communes = first(places, "xa tan thanh tay ninh")
    assert province == "Tỉnh Tây Ninh" and {"Xã Tân Thạnh", "Xã Tân Thành"} <= communes


def test_names_never_cross_a_comma(places):
    # "Tân Thạnh Tây" is a former commune elsewhere; the comma keeps "Tây Ninh" whole.
    assert first(places, "xã Tân Thạnh, Tây Ninh") == ("Tỉnh Tây Ninh", {"Xã Tân Thạnh"})
