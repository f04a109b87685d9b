"""Start, watch and stop the three processes: action server, Rasa server, web app.

Used by ``python -m bot.run`` (``make run``) and by the end-to-end tests, so both
run the services the same way. Each child gets its own process group: a Ctrl-C in
the terminal reaches only the supervisor, which then stops the children in order.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional

from bot.kb.queries import KnowledgeBase, KnowledgeBaseMissing
from bot.settings import ROOT, Settings


class StartupError(RuntimeError):
    """A service did not come up; the message says which and where its log is."""


@dataclass
class Service:
    name: str
    command: List[str]
    ready: Callable[[], bool]
    process: Optional[subprocess.Popen] = None
    log_path: Optional[Path] = None


def _http_ok(url: str, check: Callable[[bytes], bool] = lambda _: True) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and check(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _rasa_model_loaded(body: bytes) -> bool:
    try:
        return bool(json.loads(body).get("model_file"))
    except (ValueError, AttributeError):
        return False


def child_env(settings: Settings) -> Dict[str, str]:
    """Environment for the children: settings as the variables endpoints.yml and bot.settings read."""
    env = dict(os.environ)
    env.update(settings.to_env())
    env.update(
        ACTION_ENDPOINT_URL=settings.action_url,
        # rasa-sdk binds to SANIC_HOST; keep the action server on loopback.
        SANIC_HOST="127.0.0.1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def build_services(settings: Settings, model: Path) -> List[Service]:
    python = sys.executable
    token = settings.rasa_token
    return [
        Service(
            "action server",
            [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)],
            lambda: _http_ok(f"http://127.0.0.1:{settings.action_port}/health"),
        ),
        Service(
            "Rasa server",
            [
                python,
                "-m",
                "rasa",
                "run",
                "--model",
                str(model),
                "--interface",
                "127.0.0.1",
                "--port",
                str(settings.rasa_port),
                "--enable-api",
                # One argument: a random token may start with "-", which argparse would
                # otherwise take for an option.
                f"--auth-token={token}",
                "--endpoints",
                str(ROOT / "endpoints.yml"),
                "--credentials",
                str(ROOT / "credentials.yml"),
            ],  # fmt: skip
            lambda: _http_ok(f"{settings.rasa_url}/status?token={token}", _rasa_model_loaded),
        ),
        Service(
            "web app",
            [python, "-m", "bot.web"],
            lambda: _http_ok(f"http://127.0.0.1:{settings.web_port}/healthz"),
        ),
    ]


def check_kb(settings: Settings) -> None:
    """Refuse to start without a readable KB: the actions would fail on every question."""
    try:
        KnowledgeBase.from_url(settings.kb_url).engine.dispose()
    except KnowledgeBaseMissing as exc:
        raise StartupError(f"Not starting: {exc}") from exc


class Supervisor:
    """Owns the child processes' lifetime."""

    def __init__(self, settings: Settings, model: Path, log_dir: Path, say=print) -> None:
        self.settings = settings
        self.services = build_services(settings, model)
        self.log_dir = log_dir
        self.say = say

    def spawn_all(self) -> None:
        """Start all three at once without waiting (Rasa's model loading dominates)."""
        check_kb(self.settings)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            self._spawn(service)

    def start(self, timeout: float = 180.0) -> None:
        """Start all three at once, then wait for each."""
        self.spawn_all()
        deadline = time.monotonic() + timeout
        for service in self.services:
            self._wait_ready(service, deadline)
            self.say(f"  {service.name} is up")

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def restart(self, name: str, timeout: float = 180.0) -> None:
        """Stop one service and start it again (the tests restart Rasa mid-conversation)."""
        self.stop_one(name)
        self.start_one(name, timeout)

    def stop_one(self, name: str) -> None:
        self._terminate(self.service(name))

    def start_one(self, name: str, timeout: float = 180.0) -> None:
        service = self.service(name)
        self._spawn(service)
        self._wait_ready(service, time.monotonic() + timeout)

    def _spawn(self, service: Service) -> None:
        slug = service.name.split()[0].lower()
        service.log_path = self.log_dir / f"{slug}.log"
        self.say(f"Starting {service.name} (log: {service.log_path}) ...")
        with open(service.log_path, "ab") as log:
            service.process = subprocess.Popen(
                service.command, cwd=ROOT, env=child_env(self.settings), stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip

    def check_alive(self, service: Service) -> None:
        """Raise StartupError, with the end of its log, if the service has exited."""
        assert service.process is not None
        if service.process.poll() is not None:
            raise StartupError(
                f"The {service.name} stopped at start-up (exit {service.process.returncode}).\n"
                f"Last lines of {service.log_path}:\n{self.tail(service)}"
            )

    def _wait_ready(self, service: Service, deadline: float) -> None:
        while time.monotonic() < deadline:
            self.check_alive(service)
            if service.ready():
                return
            time.sleep(0.5)
        raise StartupError(
            f"The {service.name} did not become ready in time.\n"
            f"Last lines of {service.log_path}:\n{self.tail(service)}"
        )

    @staticmethod
    def tail(service: Service, lines: int = 25) -> str:
        if service.log_path is None or not service.log_path.exists():
            return "(no log)"
        text = service.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def dead(self) -> List[Service]:
        return [s for s in self.services if s.process is not None and s.process.poll() is not None]

    def stop(self, grace: float = 10.0) -> None:
        """Stop the web app first, then Rasa, then the action server."""
        for service in reversed(self.services):
            self._terminate(service, grace)

    @staticmethod
    def _terminate(service: Service, grace: float = 10.0) -> None:
        process = service.process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
