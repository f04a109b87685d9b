"""The commands the supervisor runs (the services themselves start in tests/e2e)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.services import build_services
from bot.settings import Settings


def test_a_token_that_looks_like_an_option_reaches_rasa_intact() -> None:
    # secrets.token_urlsafe() starts with "-" about once in 64 starts.
    services = build_services(Settings(rasa_token="-abc_DEF"), Path("m.tar.gz"))
    rasa = next(s for s in services if s.name == "Rasa server")
    parser = argparse.ArgumentParser()
    parser.add_argument("--auth-token")
    known, _ = parser.parse_known_args(rasa.command[rasa.command.index("run") + 1 :])
    assert known.auth_token == "-abc_DEF"
