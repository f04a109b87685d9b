"""Help-point actions against the real KB database with the shipped sample."""

from __future__ import annotations

import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import help_points
from actions.help_points import PAGE, SEARCH_SLOT, ActionFindHelpPoints, ActionMoreHelpPoints
from bot.links import is_map_link
from bot.places.directory import HelpPointDirectory
from bot.places.question import kinds_in
from bot.settings import ROOT
from tests.support import make_tracker


@pytest.fixture(autouse=True)
def fresh_directory():
    help_points._cache.clear()
    yield
    help_points._cache.clear()


@pytest.fixture(scope="module")
def places(kb_url) -> HelpPointDirectory:
    return HelpPointDirectory.from_url(kb_url)


def with_location(lat, lon, intent="ask_find_post_office") -> Tracker:
    tracker = make_tracker(intent, text=f'/{intent}{{"latitude": {lat}, "longitude": {lon}}}')
    tracker.latest_message["entities"] = [
        {"entity": "latitude", "value": lat},
        {"entity": "longitude", "value": lon},
    ]
    return tracker


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def search_slot(events):
    values = [e["value"] for e in events if e == SlotSet(SEARCH_SLOT, e["value"])]
    return json.loads(values[-1]) if values and values[-1] else None


def test_without_a_place_it_asks_for_one_and_offers_the_location_button():
    messages, events = run(
        ActionFindHelpPoints(), make_tracker("ask_find_post_office", "bưu điện gần nhất ở đâu")
    )
    assert [m["response"] for m in messages] == ["utter_ask_help_place"]
    assert messages[0]["custom"] == {"card": {"type": "ask_location"}}
    assert events == [SlotSet(SEARCH_SLOT, None)]


def test_a_place_it_cannot_find_is_said_so():
    messages, _ = run(ActionFindHelpPoints(), make_tracker("inform_place", "xã Khôngcótên"))
    assert [m["response"] for m in messages] == ["utter_help_place_not_found"]


def test_a_former_district_without_diacritics_finds_its_post_office(places):
    text = "buu dien huyen cam lo thu 7 co mo cua ko"
    messages, events = run(ActionFindHelpPoints(), make_tracker("ask_find_post_office", text))
    assert [m["response"] for m in messages][0].startswith("utter_help_points")
    card = messages[0]["custom"]["card"]
    expected = [f.point for f in places.search(places.areas(text)[0], kinds=kinds_in(text))]
    assert [i["name"] for i in card["items"]] == [p.name for p in expected[:PAGE]]
    assert expected[0].kind == "buu_dien" and "Xã Cam Lộ" in card["items"][0]["address"]
    assert all(i["status"].startswith("Thứ Bảy: ") for i in card["items"])  # the day asked about
    assert all(is_map_link(i["map_url"]) for i in card["items"])
    assert "Huyện Cam Lộ (cũ)" in messages[0]["lead"] and "Xã Cam Lộ" in messages[0]["lead"]


def test_coordinates_rank_nearest_first_and_more_pages_on(places):
    lat, lon = 10.773, 106.698  # near Bến Thành market (already rounded as the action does)
    messages, events = run(ActionFindHelpPoints(), with_location(lat, lon))
    assert messages[0]["response"] == "utter_help_points_more"
    items = messages[0]["custom"]["card"]["items"]
    nearest = places.search(near=(lat, lon))
    assert [i["name"] for i in items] == [f.point.name for f in nearest[:PAGE]]
    assert all(i["distance"].startswith("khoảng ") for i in items)
    search = search_slot(events)
    assert search["shown"] == PAGE

    tracker = make_tracker("more_help_points", "/more_help_points", slots={SEARCH_SLOT: json.dumps(search)})
    more, events = run(ActionMoreHelpPoints(), tracker)
    names = [i["name"] for i in more[0]["custom"]["card"]["items"]]
    assert names == [f.point.name for f in nearest[PAGE : 2 * PAGE]]
    assert more[0]["items"].startswith(f"{PAGE + 1}. ")  # numbering goes on


def test_more_without_a_search_says_there_is_nothing_more():
    messages, _ = run(ActionMoreHelpPoints(), make_tracker("more_help_points", "xem thêm"))
    assert [m["response"] for m in messages] == ["utter_no_more_help_points"]
    broken = make_tracker("more_help_points", "xem thêm", slots={SEARCH_SLOT: "{not json"})
    assert [m["response"] for m in run(ActionMoreHelpPoints(), broken)[0]] == ["utter_no_more_help_points"]


def test_a_commune_without_points_shows_the_province_and_says_so(places):
    messages, _ = run(ActionFindHelpPoints(), make_tracker("inform_place", "xã Hiếu Giang, Quảng Trị"))
    assert messages[0]["response"].startswith("utter_help_points")
    assert messages[0]["lead"].startswith("Danh bạ chưa có điểm hỗ trợ ở Xã Hiếu Giang")
    assert all("Tỉnh Quảng Trị" in i["address"] for i in messages[0]["custom"]["card"]["items"])


@pytest.mark.parametrize("bad", [("abc", "106.7"), (91, 106.7), (10.7, None)])
def test_bad_coordinates_count_as_none(bad):
    tracker = with_location(*bad)
    assert help_points.coordinates(tracker) is None


def test_coordinates_are_rounded_to_about_100_m():
    assert help_points.coordinates(with_location(10.776543, 106.700987)) == (10.777, 106.701)


def test_a_missing_directory_gets_a_polite_answer(monkeypatch, tmp_path):
    monkeypatch.setenv("KB_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    messages, events = run(ActionFindHelpPoints(), make_tracker("ask_find_post_office", "bưu điện Hà Nội"))
    assert [m["response"] for m in messages] == ["utter_help_points_unavailable"]
    assert events == []


def test_no_post_office_in_the_ward_shows_the_closest_ones_around_it(places):
    text = "bưu điện gần nhất ở phường Bến Thành"
    area = places.areas(text)[0]
    assert not places.search(area, kinds=frozenset({"buu_dien"}))  # the sample has none there
    messages, _ = run(ActionFindHelpPoints(), make_tracker("ask_find_post_office", text))
    assert messages[0]["lead"].startswith("Danh bạ chưa có bưu điện ở Phường Bến Thành")
    items = messages[0]["custom"]["card"]["items"]
    assert items and all(i["kind"] == "Bưu điện" for i in items)
    assert items[0]["name"] == "Bưu điện Trung tâm Sài Gòn"  # about 1 km away, in Phường Sài Gòn
    assert all("distance" not in i for i in items)  # not from the user: they gave no position


def test_the_actions_see_an_import_without_a_restart(monkeypatch, tmp_path):
    from bot.places.loader import import_help_points

    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    sample = ROOT / "data" / "kb" / "help_points" / "sample.csv"
    import_help_points([sample], url)
    monkeypatch.setenv("KB_DATABASE_URL", url)
    monkeypatch.setattr(help_points, "CHECK_SECONDS", 0)
    before = help_points.directory()
    assert help_points.directory() is before  # unchanged data: not loaded again
    extra = tmp_path / "extra.csv"
    lines = sample.read_text(encoding="utf-8").splitlines()
    extra.write_text("\n".join([lines[0], lines[1].replace("MAU-", "NEW-", 1)]) + "\n", encoding="utf-8")
    import_help_points([sample, extra], url)
    after = help_points.directory()
    assert after is not before and len(after.points) == len(before.points) + 1
