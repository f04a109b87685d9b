"""Which messages pass as intent payloads, and in what form (rules made here, not the shipped domain)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.settings import DOMAIN_FILE
from bot.web.payloads import PayloadRules, load_rules, vet
from bot.web.pii import ID, ID_MASK, PHONE, PHONE_MASK, SECRET_MASK
from tests.personal_data import PAYLOAD_INTENTS, Variant, leaks, readable, variants

RULES = PayloadRules(
    intents=frozenset({"greet", "next_step", "find", "ask_topic"}),
    entities=frozenset({"latitude", "longitude", "procedure_name", "account_level", "place", "paper"}),
    slugs=frozenset({"kich-hoat-vneid"}),
)


@pytest.mark.parametrize(
    "message, sent",
    [
        ("/greet", "/greet"),
        ('/find{"latitude":10.7763,"longitude":106.70091}', '/find{"latitude":10.776,"longitude":106.701}'),
        ('/find{"latitude": -8, "longitude": 180}', '/find{"latitude":-8.0,"longitude":180.0}'),
        ('/ask_topic{"procedure_name":"kich-hoat-vneid"}', '/ask_topic{"procedure_name":"kich-hoat-vneid"}'),
        ('/ask_topic{"account_level":2}', '/ask_topic{"account_level":"2"}'),
        ('/find{"place":"phường Bến Thành"}', '/find{"place":"phường Bến Thành"}'),
        ('/find{"place":"xã 0912345678"}', f'/find{{"place":"xã {PHONE_MASK}"}}'),
    ],
)
def test_our_payloads_pass_rewritten_from_their_values(message: str, sent: str) -> None:
    vetted = vet(message, RULES)
    assert vetted.is_payload and vetted.text == sent


def test_a_masked_payload_value_says_what_was_hidden() -> None:
    assert vet('/find{"place":"xã 0912345678"}', RULES).hidden == (PHONE,)
    assert vet('/find{"latitude":10.7,"longitude":106.7}', RULES).hidden == ()


@pytest.mark.parametrize(
    "message, sent",
    [
        # unknown intent, unknown or disallowed entity keys
        ('/restart{"x":1}', 'restart{"x":1}'),
        ('/greet{"x":"CCCD 001203004567, mk Abc@12345"}', f'greet{{"x":"CCCD {ID_MASK}, mk {SECRET_MASK}"}}'),
        # values of the wrong shape
        ('/find{"latitude":"0912345678"}', f'find{{"latitude":"{PHONE_MASK}"}}'),
        ('/find{"latitude":91,"longitude":1}', 'find{"latitude":91,"longitude":1}'),
        ('/find{"latitude":true}', 'find{"latitude":true}'),
        ('/find{"latitude":NaN}', 'find{"latitude":NaN}'),
        ('/ask_topic{"procedure_name":"khong-co"}', 'ask_topic{"procedure_name":"khong-co"}'),
        ('/ask_topic{"account_level":3}', 'ask_topic{"account_level":3}'),
        ('/find{"place":""}', 'find{"place":""}'),
        ('/find{"place":["a"]}', 'find{"place":["a"]}'),
        # not JSON, not an object, empty
        ('/greet{"a":001203004567}', f'greet{{"a":{ID_MASK}}}'),
        ("/greet{}", "greet{}"),
        ("/greet[1]", "greet[1]"),
        ("/greet 0912345678", f"greet {PHONE_MASK}"),
        ("/0912345678", PHONE_MASK),
        ("/", "?"),
        ("/ //greet", "greet"),
    ],
)
def test_anything_else_is_text_without_its_slash_and_masked(message: str, sent: str) -> None:
    vetted = vet(message, RULES)
    assert not vetted.is_payload and vetted.text == sent


def test_text_says_what_was_hidden() -> None:
    assert vet("CCCD 001203004567", RULES).hidden == (ID,)
    assert vet("xin chào", RULES).hidden == ()


def test_rules_come_from_a_domain_file(tmp_path: Path) -> None:
    domain = tmp_path / "domain.yml"
    domain.write_text("intents:\n  - hi\n  - bye: {use_entities: []}\nentities:\n  - place\n", "utf-8")
    rules = load_rules(domain, frozenset({"a"}))
    assert rules == PayloadRules(frozenset({"hi", "bye"}), frozenset({"place"}), frozenset({"a"}))


def test_the_shipped_domain_allows_what_the_page_sends() -> None:
    rules = load_rules(DOMAIN_FILE)
    assert vet('/ask_find_post_office{"latitude":10.776,"longitude":106.701}', rules).is_payload
    assert vet("/next_step", rules).is_payload


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_what_is_sent_never_starts_a_payload_rasa_would_reject(text: str) -> None:
    vetted = vet("/" + text, RULES)
    if vetted.is_payload:
        assert vetted.text.startswith("/") and vetted.text[1:].split("{")[0] in RULES.intents
    else:
        assert not vetted.text.startswith("/") and vetted.text


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants())
def test_personal_values_never_get_through_in_any_form(variant: Variant) -> None:
    """Glued, dotted, grouped, split by invisible characters, in payloads: hidden and named."""
    rules = PayloadRules(PAYLOAD_INTENTS | RULES.intents, RULES.entities, RULES.slugs)
    vetted = vet(variant.message, rules)
    assert leaks(readable([vetted.text]), variant.values) == []
    assert vetted.hidden
