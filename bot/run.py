"""Start everything and wait for Ctrl-C: ``python -m bot.run`` (what ``make run`` ends with)."""

from __future__ import annotations

import signal
import sys
import time

from bot.services import StartupError, Supervisor, check_kb
from bot.settings import ROOT, load_settings
from bot.train import model_path


def main() -> int:
    settings = load_settings()
    try:
        check_kb(settings)  # Supervisor.start checks too; first, so this message comes first
    except StartupError as error:
        print(error, file=sys.stderr)
        return 1
    model = model_path(settings.model_dir)
    if not model.exists():
        print(f"No trained model at {model}: run `make train` (or `make run`).", file=sys.stderr)
        return 1
    supervisor = Supervisor(settings, model, log_dir=ROOT / "var" / "log")

    def _stop(signum, frame):  # noqa: ARG001 - signal handler signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        supervisor.start()
        print(f"\nReady. Open {settings.web_url} (Ctrl-C stops all three services).", flush=True)
        while not supervisor.dead():
            time.sleep(1)
        for service in supervisor.dead():
            print(f"The {service.name} stopped unexpectedly:\n{supervisor.tail(service)}", file=sys.stderr)
        return 1
    except StartupError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown
        supervisor.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
