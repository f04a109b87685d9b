"""Train the Rasa model only when its inputs changed: ``python -m bot.train``.

The model file is named after a hash of every training input (config, domain, NLU
data, stories and rules, our NLU components, the pinned dependencies), so an
unchanged checkout finds its model and skips training.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable, List

from bot.settings import ROOT, load_settings

# Everything that changes what `rasa train` produces.
TRAINING_INPUTS = (
    "config.yml",
    "domain.yml",
    "data/nlu",
    "data/stories",
    "bot/nlu",
    "bot/text.py",
    "requirements.lock",
)


class TrainingFailed(RuntimeError):
    """`rasa train` failed; the message holds the end of its log."""


def _files(root: Path, entries: Iterable[str]) -> List[Path]:
    files: List[Path] = []
    for entry in entries:
        path = root / entry
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
        elif path.is_file():
            files.append(path)
    return files


def inputs_hash(root: Path = ROOT, entries: Iterable[str] = TRAINING_INPUTS) -> str:
    """A short hash of the training inputs' paths and contents."""
    digest = hashlib.sha256()
    for path in _files(root, entries):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(model_dir: Path, root: Path = ROOT) -> Path:
    return model_dir / f"model-{inputs_hash(root)}.tar.gz"


def train_if_changed(model_dir: Path, root: Path = ROOT, force: bool = False) -> Path:
    """Return the model for the current inputs, training it first when missing."""
    target = model_path(model_dir, root)
    if target.exists() and not force:
        print(f"Model: up to date ({target.name})")
        return target
    log_path = root / "var" / "log" / "train.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Model: training inputs changed, training {target.name} (log: {log_path}) ...", flush=True)
    started = time.monotonic()
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(root / "config.yml"),
        "--domain", str(root / "domain.yml"),
        "--data", str(root / "data" / "nlu"), str(root / "data" / "stories"),
        "--out", str(model_dir),
        "--fixed-model-name", target.name[: -len(".tar.gz")],
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        result = subprocess.run(command, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
        raise TrainingFailed(
            f"Model: training failed (exit {result.returncode}). Last lines of {log_path}:\n{tail}"
        )
    print(f"Model: trained in {time.monotonic() - started:.0f} s -> {target.name}", flush=True)
    for old in model_dir.glob("model-*.tar.gz"):
        if old != target:
            old.unlink()
    return target


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even when up to date")
    parser.add_argument("--print-path", action="store_true", help="only print the model path")
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.print_path:
        print(model_path(settings.model_dir))
        return 0
    try:
        train_if_changed(settings.model_dir, force=args.force)
    except TrainingFailed as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
