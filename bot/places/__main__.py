"""Command line: ``python -m bot.places check|import FILE... [--url URL] [--prune]`` and ``units``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from sqlalchemy.exc import SQLAlchemyError

from bot.kb.models import safe_url
from bot.places.importer import HelpPointsError, read_help_points
from bot.places.loader import import_help_points
from bot.places.units import build_units, summary
from bot.settings import load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.places", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate help-point CSV files; touch no database")
    load = commands.add_parser("import", help="validate, then add or update help points by code")
    for sub in (check, load):
        sub.add_argument("files", nargs="+", type=Path, help="CSV files (data/kb/help_points/README.md)")
    load.add_argument("--url", help="SQLAlchemy URL (default: KB_DATABASE_URL or var/kb.sqlite3)")
    load.add_argument("--prune", action="store_true", help="also remove points not in these files")
    commands.add_parser("units", help="count today's units and former names the packages provide")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "units":
            units = build_units()
            print(", ".join(f"{k}: {v}" for k, v in summary(units).items()) + f" ({units.version})")
        elif args.command == "check":
            points = read_help_points(args.files, build_units())
            print(f"Help points: {len(points)} in {len(args.files)} file(s) are valid")
        else:
            url = args.url or load_settings().kb_url
            print(import_help_points(args.files, url, prune=args.prune))
    except HelpPointsError as exc:
        for issue in exc.errors:
            print(issue, file=sys.stderr)
        print(f"Help points: {len(exc.errors)} error(s); nothing was loaded", file=sys.stderr)
        return 1
    except ValueError as exc:  # a malformed environment variable, named in the message
        print(f"Help points: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"Help points: cannot write to {safe_url(args.url or '')}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
