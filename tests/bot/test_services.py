"""The commands the supervisor runs (the services themselves start in tests/e2e)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.services import StartupError, build_services, check_kb
from bot.settings import ROOT, Settings


def test_a_token_that_looks_like_an_option_reaches_rasa_intact() -> None:
    # secrets.token_urlsafe() starts with "-" about once in 64 starts.
    services = build_services(Settings(rasa_token="-abc_DEF"), Path("m.tar.gz"))
    rasa = next(s for s in services if s.name == "Rasa server")
    parser = argparse.ArgumentParser()
    parser.add_argument("--auth-token")
    known, _ = parser.parse_known_args(rasa.command[rasa.command.index("run") + 1 :])
    assert known.auth_token == "-abc_DEF"


@pytest.mark.parametrize(
    "prepare, reason",
    [
        (lambda path: None, "does not exist"),
        (lambda path: path.write_bytes(b"this is not a database" * 100), "file is not a database"),
        (lambda path: path.write_bytes(b""), "has no table"),
    ],
)
def test_start_up_refuses_a_missing_or_damaged_kb_with_a_clear_message(tmp_path, prepare, reason) -> None:
    kb = tmp_path / "kb.sqlite3"
    prepare(kb)
    env = {**os.environ, "KB_DATABASE_URL": f"sqlite:///{kb}", "PYTHONPATH": str(ROOT)}
    # What `make run` ends with; it must stop before starting any service.
    done = subprocess.run(
        [sys.executable, "-m", "bot.run"], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 1
    assert reason in done.stderr and "make kb" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(StartupError, match=reason):
        check_kb(Settings(kb_url=f"sqlite:///{kb}"))
