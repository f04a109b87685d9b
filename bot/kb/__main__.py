"""Command line: ``python -m bot.kb load|check [--url URL] [--content DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from sqlalchemy.exc import SQLAlchemyError

from bot.kb.content import ContentError, load_content
from bot.kb.loader import load_kb
from bot.kb.models import safe_url
from bot.places.importer import HelpPointsError, read_help_points
from bot.places.loader import HELP_POINTS_DIR, content_files, load_places
from bot.places.units import build_units
from bot.settings import load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.kb", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser(
        "load", help="validate data/kb, replace the procedures, sync the help points and the map"
    )
    check = commands.add_parser("check", help="validate data/kb only; touch no database")
    for sub in (load, check):
        sub.add_argument("--content", type=Path, help="content folder (default: KB_CONTENT_DIR or data/kb)")
    load.add_argument("--url", help="SQLAlchemy URL (default: KB_DATABASE_URL or var/kb.sqlite3)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = getattr(args, "url", None)
    content = args.content
    if content is None or (args.command == "load" and url is None):
        try:
            settings = load_settings()
        except ValueError as exc:  # a malformed environment variable, named in the message
            print(f"KB: {exc}", file=sys.stderr)
            return 1
        content = content or settings.content_dir
        url = url or settings.kb_url
    try:
        if args.command == "check":
            entries = load_content(content)
            print(f"KB: {len(entries)} procedures in {content} are valid")
            points = read_help_points(content_files(content), build_units())
            print(f"KB: {len(points)} help points in {content / HELP_POINTS_DIR} are valid")
        else:
            print(load_kb(content, url))
            # Help points and the administrative map live in the same database.
            print(load_places(content, url))
    except HelpPointsError as exc:
        for issue in exc.errors:
            print(issue, file=sys.stderr)
        print(f"KB: {len(exc.errors)} help-point error(s); help points were not loaded", file=sys.stderr)
        return 1
    except ContentError as exc:
        for issue in exc.errors:
            print(issue, file=sys.stderr)
        print(f"KB: {len(exc.errors)} error(s); nothing was loaded", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"KB: cannot write to {safe_url(url)}: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:  # e.g. a mysql:// URL without its driver installed
        print(f"KB: no database driver for {safe_url(url)}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
