"""Citizens' data, links, exposure and failures, against the real stack on loopback."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import yaml
from hypothesis import HealthCheck, given, settings

from bot.links import is_official, unofficial_urls
from bot.settings import ROOT
from bot.web.app import MSG_BUSY, MSG_NO_ANSWER
from bot.web.rasa_client import HIDDEN_LINK
from tests.personal_data import Value, Variant, found_at, leaks, readable, strings_in, variants

pytestmark = pytest.mark.slow

ACTIVATE = "kich-hoat-vneid"
HOTLINE = "1900 0368"


def post(stack, message, session=None):
    body = {"message": message, **({"session": session} if session else {})}
    return requests.post(f"http://127.0.0.1:{stack.settings.web_port}/api/chat", json=body, timeout=30)


def chat(stack, message, session=None):
    response = post(stack, message, session)
    assert response.status_code == 200, response.text
    return response.json()


def texts(reply):
    return "\n".join(m.get("text") or "" for m in reply["messages"])


# --- personal data never reaches Rasa's tracker store or any log ---------------------

SHARED = [
    ("CCCD của tôi là 001203004567, giúp tôi kích hoạt", ["001203004567"]),
    ("số điện thoại 0912 345 678 không nhận được OTP", ["0912345678", "912345678"]),
    ("mã OTP là 482913 nhập ở đâu", ["482913"]),
    ("CMND cũ 123456789 có dùng được không", ["123456789"]),
    ("đổi sang số +84 987 654 321 thế nào", ["987654321"]),
    ("passcode của tôi là 135790 bị khóa rồi", ["135790"]),
    ("mật khẩu của tôi là Abc@12345 mà không đăng nhập được", ["Abc@12345", "Abc@"]),
]


# Rasa's confidences and timestamps ("0.013579058460891247"): long decimals no citizen types.
MACHINE_DECIMAL = re.compile(r"\d+\.\d{7,}(?:e-?\d+)?")


def digits_and_text(value: str) -> str:
    """The value, and its digits run together (a number may be stored with spaces or dots)."""
    value = MACHINE_DECIMAL.sub(" ", value)
    return value + "\n" + re.sub(r"[\s.\-]", "", value)


def test_personal_data_is_masked_before_rasa_stores_or_logs_it(stack):
    session = None
    for message, _ in SHARED:
        reply = chat(stack, message, session)
        session = reply["session"]
        assert "warning" in reply and "đừng gửi" in reply["warning"], message
        assert reply["messages"], message  # the citizen still gets an answer

    stored = [str(value) for value in tracker_values(stack)]
    assert any(session in value for value in stored), "the conversation was not stored at all"
    logs = service_logs(stack)
    haystack = "\n".join(digits_and_text(v) for v in stored + logs)
    for _, secrets in SHARED:
        for secret in secrets:
            assert secret not in haystack, secret


# The messages that broke the promise (issue 13), verbatim, with what they hold.
ISSUE_13 = [
    (
        '/greet{"x":"CCCD 001203004567, mk Abc@12345"}',
        (Value("id", "001203004567"), Value("password", "Abc@12345")),
    ),
    ("sđt0912345678", (Value("phone", "912345678"),)),
    ("mk123456", (Value("code", "123456"),)),
]
VARIANTS = 1000
PER_SESSION = 25  # under the per-conversation limit of 30 a minute
SENDERS = 3  # conversations in flight at once, as from several phones


def generated_variants(count: int) -> list[Variant]:
    """``count`` distinct messages drawn by hypothesis (drawn first, sent afterwards)."""
    drawn: dict[str, Variant] = {}

    @settings(max_examples=count * 2, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(variants())
    def draw(variant: Variant) -> None:
        if len(drawn) < count:
            drawn.setdefault(variant.message, variant)

    draw()
    return list(drawn.values())


def tracker_values(stack) -> list:
    """Every value of every row of every table of the tracker database (None left out)."""
    with sqlite3.connect(stack.settings.tracker_db) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [
            value
            for table in tables
            for row in db.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from sqlite_master
            for value in row
            if value is not None
        ]


def service_logs(stack) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in stack.log_dir.glob("*.log")]


def stored_texts(stack) -> list[str]:
    """Every text of the tracker database.

    Integer and real columns are left out: they hold row ids and timestamps the database
    makes up, whose digits would match a short code by chance. Rasa stores what was said
    in text columns (the event's JSON, the intent and action names, the sender id)."""
    return [
        value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        for value in tracker_values(stack)
        if isinstance(value, (str, bytes))
    ]


def test_no_form_of_a_personal_value_is_stored_or_logged(stack):
    """The issue's three messages and 1,000 generated variants, then every table and log."""
    to_send = [Variant(message, values) for message, values in ISSUE_13] + generated_variants(VARIANTS)
    assert len(to_send) == VARIANTS + len(ISSUE_13)

    def conversation(variants_: list[Variant]) -> str:
        session = None
        for variant in variants_:
            response = post(stack, variant.message, session)
            assert response.status_code == 200, (variant.message, response.text)
            reply = response.json()
            session = reply["session"]
            assert "warning" in reply and "Tôi đã ẩn" in reply["warning"], variant.message
            assert not re.search(r"\d", reply["warning"]), reply["warning"]  # never repeats a value
        return session

    chunks = [to_send[i : i + PER_SESSION] for i in range(0, len(to_send), PER_SESSION)]
    with ThreadPoolExecutor(SENDERS) as pool:
        sessions = list(pool.map(conversation, chunks))

    stored, logs = stored_texts(stack), service_logs(stack)
    kept = "\n".join(stored)
    assert all(session in kept for session in sessions), "a conversation was not stored at all"
    # Each distinct string once: a bot answer stored a thousand times is read once.
    haystack = readable(sorted({text for value in stored for text in strings_in(value)}) + logs)
    found = [
        (variant.message, value.raw, found_at(haystack, value))
        for variant in to_send
        for value in leaks(haystack, variant.values)
    ]
    assert found == []


# --- links: official sites only ------------------------------------------------------


def topic_rule_intents():
    """Intents that show a KB procedure in the chat (ask_find_post_office searches help points)."""
    rules = yaml.safe_load((ROOT / "data" / "stories" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    topic = next(r for r in rules if r["rule"].startswith("a question about a topic"))
    return {step["intent"] for step in topic["steps"][0]["or"]}


def test_every_reply_about_every_procedure_links_only_to_official_sites(stack, kb):
    shown = topic_rule_intents()
    for procedure in (p for p in kb.all() if p.intent in shown):
        reply = chat(stack, f"/{procedure.intent}")
        session = reply["session"]
        replies = [reply, chat(stack, "/all_steps", session), chat(stack, "/required_papers", session)]
        for _ in range(len(procedure.steps) - 1):
            replies.append(chat(stack, "/next_step", session))
        for r in replies:
            text = texts(r)
            assert HIDDEN_LINK not in text, (procedure.slug, text)  # nothing needed hiding
            assert unofficial_urls(text) == [], procedure.slug
            assert all(is_official(link["url"]) for m in r["messages"] for link in m["links"])
        assert "http" in "\n".join(texts(r) for r in replies), procedure.slug  # it does cite one


# --- exposure: Rasa and the action server only on loopback; Rasa's API needs the token --


def this_machines_address() -> str | None:
    """An address of this machine other than loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent for UDP connect
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_rasa_and_the_action_server_listen_on_loopback_only(stack):
    address = this_machines_address()
    if address is None:
        pytest.skip("this machine has no address besides loopback")
    for port in (stack.settings.rasa_port, stack.settings.action_port):
        with socket.socket() as sock:
            sock.settimeout(5)
            assert sock.connect_ex((address, port)) != 0, f"port {port} answers on {address}"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # but it is up


def test_rasa_api_refuses_requests_without_the_right_token(stack):
    base = stack.settings.rasa_url
    for method, path in (("GET", "/status"), ("GET", "/conversations/x/tracker"), ("POST", "/model/parse")):
        for params in ({}, {"token": "wrong"}):
            response = requests.request(method, base + path, params=params, json={"text": "a"}, timeout=10)
            assert response.status_code == 401, (method, path, params)


# --- limits on the real web app ------------------------------------------------------


def test_one_conversation_cannot_flood_the_assistant(stack):
    count, _ = stack.settings.rate_per_session
    session = chat(stack, "xin chào")["session"]
    statuses = [post(stack, "xin chào", session).status_code for _ in range(count)]
    assert statuses[: count - 1] == [200] * (count - 1)
    assert statuses[-1] == 429
    refused = post(stack, "xin chào", session)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert chat(stack, "xin chào")["messages"]  # other conversations go on


# --- failures ------------------------------------------------------------------------


def test_action_server_down_gets_a_polite_answer_and_the_conversation_goes_on(stack, kb):
    procedure = kb.get(ACTIVATE)
    session = chat(stack, "kich hoat vneid")["session"]
    stack.stop_one("action server")
    try:
        started = time.monotonic()
        reply = chat(stack, "tiếp", session)
        assert time.monotonic() - started < 5
        assert texts(reply) == MSG_NO_ANSWER and HOTLINE in MSG_NO_ANSWER
    finally:
        stack.start_one("action server")
    assert procedure.steps[1] in texts(chat(stack, "tiếp", session))


def test_a_hung_action_server_gets_the_hotline_within_five_seconds(stack, kb):
    session = chat(stack, "kich hoat vneid")["session"]
    action = stack.service("action server").process
    os.killpg(action.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = post(stack, "tiếp", session)
        assert time.monotonic() - started < 5
        assert response.status_code == 503
        assert response.json()["error"] == MSG_BUSY and HOTLINE in MSG_BUSY
    finally:
        os.killpg(action.pid, signal.SIGCONT)
    # Once it answers again, so does the assistant, still on this procedure.
    reply = chat(stack, "tiếp", session)
    assert any(m.get("card", {}).get("procedure") == ACTIVATE for m in reply["messages"])


def test_the_conversation_survives_a_web_app_restart(stack, kb):
    procedure = kb.get(ACTIVATE)
    session = chat(stack, "kich hoat vneid")["session"]
    stack.restart("web app")
    assert procedure.steps[1] in texts(chat(stack, "tiếp", session))
