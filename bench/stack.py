"""The real three services on free loopback ports, for benchmarks, and what their processes cost.

``running_stack()`` starts them as `make run` does (all at once) and times the cold start;
rate limits are raised (the benchmark measures the system, not our limiter) and the tracker
store and logs live in a temporary folder, so benchmark conversations never reach var/.
Memory and CPU come from /proc (psutil is not a dependency); ``py_spy_hot_spots`` samples a
service's Python stacks when py-spy happens to be installed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

import requests

from bot.services import Supervisor
from bot.settings import Settings, load_settings
from bot.train import model_path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
UNLIMITED = (1_000_000, 60)  # rate limit that a benchmark never reaches
FIRST_MESSAGE = "xin chào"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- /proc ---------------------------------------------------------------------------


def parse_stat(text: str) -> Tuple[int, int]:
    """(parent pid, CPU ticks user+system) from /proc/<pid>/stat; the name may hold spaces."""
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def parse_status_kb(text: str, keys: Iterable[str] = ("VmRSS", "VmHWM")) -> Dict[str, int]:
    """Memory lines of /proc/<pid>/status in kB (a kernel thread has none: 0)."""
    wanted = set(keys)
    out = dict.fromkeys(wanted, 0)
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in wanted:
            out[name] = int(value.split()[0])
    return out


def descendants(pid: int, children: Dict[int, List[int]]) -> List[int]:
    """pid and every process below it."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def _read(path: str) -> Optional[str]:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:  # the process ended between listing and reading
        return None


def _process_table() -> Tuple[Dict[int, List[int]], Dict[int, int]]:
    """Children of each pid and CPU ticks of each pid, from one scan of /proc."""
    children: Dict[int, List[int]] = {}
    ticks: Dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        text = _read(f"/proc/{entry}/stat")
        if text is None:
            continue
        parent, used = parse_stat(text)
        children.setdefault(parent, []).append(int(entry))
        ticks[int(entry)] = used
    return children, ticks


@dataclass
class Usage:
    rss_mb: float
    hwm_mb: float  # sum of each member's VmHWM: an upper bound of the tree's own peak
    cpu_s: float
    main_thread_cpu_s: float  # the thread running the event loop: one core at most


def usage(pids: Dict[str, int]) -> Dict[str, Usage]:
    """Memory and CPU time of each named process including its children."""
    children, ticks = _process_table()
    out = {}
    for name, pid in pids.items():
        rss = hwm = cpu = 0
        for member in descendants(pid, children):
            status = _read(f"/proc/{member}/status")
            if status is None:
                continue
            kb = parse_status_kb(status)
            rss, hwm, cpu = rss + kb["VmRSS"], hwm + kb["VmHWM"], cpu + ticks.get(member, 0)
        main = _read(f"/proc/{pid}/task/{pid}/stat")
        main_ticks = parse_stat(main)[1] if main else 0
        out[name] = Usage(rss / 1024, hwm / 1024, cpu / CLOCK_TICKS, main_ticks / CLOCK_TICKS)
    return out


def machine_busy_s() -> float:
    """CPU seconds all cores spent not idle since boot (to see other work on the machine)."""
    text = _read("/proc/stat") or "cpu 0 0 0 0"
    values = [int(v) for v in text.splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


def own_cpu_s() -> float:
    """CPU seconds of this process (the load generator)."""
    times = os.times()
    return times.user + times.system


@dataclass
class MemorySampler:
    """Samples each service's RSS every ``interval`` s in a thread; keeps overall and window peaks."""

    pids: Dict[str, int]
    interval: float = 0.2
    peaks: Dict[str, float] = field(default_factory=dict)
    peak_total: float = 0.0
    hwm: Dict[str, float] = field(default_factory=dict)
    samples: int = 0
    window_peaks: Dict[str, float] = field(default_factory=dict)
    window_total: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def sample(self) -> None:
        sizes = usage(self.pids)
        total = sum(u.rss_mb for u in sizes.values())
        with self._lock:
            for name, size in sizes.items():
                self.peaks[name] = max(self.peaks.get(name, 0.0), size.rss_mb)
                self.window_peaks[name] = max(self.window_peaks.get(name, 0.0), size.rss_mb)
                self.hwm[name] = max(self.hwm.get(name, 0.0), size.hwm_mb)
            self.peak_total = max(self.peak_total, total)
            self.window_total = max(self.window_total, total)
            self.samples += 1

    def take_window(self) -> Tuple[Dict[str, float], float]:
        """Peaks since the last call (one load level), then start a new window."""
        with self._lock:
            peaks, total = self.window_peaks, self.window_total
            self.window_peaks, self.window_total = {}, 0.0
        return peaks, total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()  # VmHWM at the very end covers peaks between samples


# --- the stack -------------------------------------------------------------------------


@dataclass
class Stack:
    settings: Settings
    supervisor: Supervisor
    cold_start: Dict[str, float]  # seconds from the start command to each service ready

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    @property
    def pids(self) -> Dict[str, int]:
        return {s.name: s.process.pid for s in self.supervisor.services if s.process}


def _first_answer(url: str, deadline: float) -> None:
    last = "no attempt"
    while time.monotonic() < deadline:
        try:
            reply = requests.post(f"{url}/api/chat", json={"message": FIRST_MESSAGE}, timeout=10)
            if reply.status_code == 200 and reply.json().get("messages"):
                return
            last = f"HTTP {reply.status_code}"
        except (requests.RequestException, ValueError) as exc:
            last = type(exc).__name__
        time.sleep(0.1)
    raise RuntimeError(f"the web app gave no chat answer before the deadline (last: {last})")


@contextlib.contextmanager
def running_stack(timeout: float = 300.0) -> Iterator[Stack]:
    """Start the three services at once, as `make run` does; time each one and the first answer.

    Each service is polled concurrently, so its time is when it became ready, not when the
    previous one did. Uses the current KB database and the model for the current inputs.
    """
    base = load_settings()
    model = model_path(base.model_dir)
    if not model.exists():
        raise RuntimeError(f"No trained model at {model}: run `make train` (or `make setup`).")
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as tmp:
        settings = Settings(
            kb_url=base.kb_url,
            tracker_db=Path(tmp) / "tracker.sqlite3",
            content_dir=base.content_dir,
            model_dir=base.model_dir,
            web_port=free_port(),
            rasa_port=free_port(),
            action_port=free_port(),
            rasa_token=secrets.token_urlsafe(16),
            rate_per_session=UNLIMITED,
            rate_per_client=UNLIMITED,
        )
        supervisor = Supervisor(settings, model, Path(tmp) / "log", say=lambda *_: None)
        started = time.monotonic()
        cold: Dict[str, float] = {}
        try:
            supervisor.spawn_all()
            pending = list(supervisor.services)
            while pending:
                for service in list(pending):
                    supervisor.check_alive(service)
                    if service.ready():
                        cold[service.name] = round(time.monotonic() - started, 1)
                        pending.remove(service)
                if time.monotonic() - started > timeout:
                    raise RuntimeError(f"not ready in {timeout:.0f} s: {[s.name for s in pending]}")
                time.sleep(0.1)
            _first_answer(f"http://127.0.0.1:{settings.web_port}", started + timeout)
            cold["first answer"] = round(time.monotonic() - started, 1)
            yield Stack(settings, supervisor, cold)
        finally:
            supervisor.stop()


# --- py-spy, when installed (never a dependency) ----------------------------------------

# Frames of our code and Rasa's: a sample's time is charged to the deepest of them, so
# library time (jsonschema, TensorFlow, SQLAlchemy) shows up under the caller that asked for it.
# py-spy names our files from their package down ("kb/queries.py"), modules right under bot/ bare.
OWN_CODE = ("rasa/", "rasa_sdk/", "actions/", "bot/", "kb/", "web/", "places/", "nlu/", "tracker_store.py")
EVENT_LOOP = ("sanic/", "asyncio/", "selectors.py")
EVENT_LOOP_LABEL = "(event loop: waiting, dispatching)"


def py_spy() -> Optional[str]:
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


def _frame(raw: str) -> Tuple[str, str]:
    """'func (path/file.py:12)' -> ('func', 'path/file.py')."""
    name, _, where = raw.partition(" (")
    return name, where.rstrip(")").rsplit(":", 1)[0]


def hot_spots(raw_lines: Iterable[str], top: int = 6) -> Dict[str, List[Tuple[str, float]]]:
    """Share of samples (%) from py-spy's raw (collapsed) output, 'root;...;leaf count' per line.

    "functions": per deepest own-code function, a library leaf named beside its caller
    ("rasa/core/actions/action.py:_validate_action_result → jsonschema"); "libraries": per
    package the leaf is in. Leaves in sanic/asyncio are the event loop waiting or dispatching.
    """
    functions: Counter = Counter()
    libraries: Counter = Counter()
    total = 0
    for line in raw_lines:
        stack, _, number = line.rstrip().rpartition(" ")
        if not stack or not number.isdigit():
            continue
        count = int(number)
        total += count
        frames = [_frame(f) for f in stack.split(";")]
        leaf_file = frames[-1][1]
        package = leaf_file.split("/")[0].removesuffix(".py")
        if leaf_file.startswith(EVENT_LOOP):
            functions[EVENT_LOOP_LABEL] += count
            libraries[EVENT_LOOP_LABEL] += count
            continue
        own = [f for f in frames if f[1].startswith(OWN_CODE)]
        where = f"{own[-1][1]}:{own[-1][0]}" if own else "(deep recursion: caller cut off by py-spy)"
        if not leaf_file.startswith(OWN_CODE):
            where += f" → {package}"
        functions[where] += count
        libraries[package] += count

    def shares(counts: Counter) -> List[Tuple[str, float]]:
        return [(k, round(100 * v / total, 1)) for k, v in counts.most_common(top)]

    return {"functions": shares(functions), "libraries": shares(libraries)} if total else {}


def py_spy_hot_spots(
    pid: int, seconds: float, rate: int = 50
) -> Optional[Dict[str, List[Tuple[str, float]]]]:
    """Sample one process's Python stacks for ``seconds`` without pausing it; None without py-spy."""
    tool = py_spy()
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="bench-pyspy-") as tmp:
        out = Path(tmp) / "raw.txt"
        command = [
            tool, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
            "--rate", str(rate), "--format", "raw", "--nonblocking", "-o", str(out),
        ]  # fmt: skip
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds + 60)
        if not out.exists():
            return None
        return hot_spots(out.read_text(errors="replace").splitlines())
