"""Command line for scheduled jobs: the same functions as the app, headless.

Exit code 0 on success; otherwise non-zero with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from dashboard import config, db, tables
from dashboard.filters import Filters
from dashboard.ingest import KINDS, ingest_file

SAMPLE_ORDER = ("waves", "election", "survey", "hoax")  # catalogues before receipts


class CliError(Exception):
    """A failure with a one-line reason for the user."""


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=f"DuckDB file (default ${config.DB_ENV} or "
                        f"{config.DEFAULT_DB.relative_to(config.REPO_ROOT)})")


def _filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat,
                        help="first send day, YYYY-MM-DD (WIB)")
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat,
                        help="last send day, YYYY-MM-DD (WIB)")
    parser.add_argument("--wave", action="append", default=[], help="wave id (repeatable)")
    parser.add_argument("--operator", action="append", default=[],
                        help="operator id (repeatable)")
    parser.add_argument("--province", action="append", default=[], type=int,
                        help="province code (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create the database (and load the sample data)")
    _db_option(init)
    init.add_argument("--sample", action="store_true", help="load every file of sample_data/")

    ingest = commands.add_parser("ingest", help="load input files")
    _db_option(ingest)
    ingest.add_argument("files", nargs="+", type=Path)
    ingest.add_argument("--kind", choices=KINDS, help="input kind (default: from the header)")
    ingest.add_argument("--profile", help="operator export profile name or .toml path")

    export = commands.add_parser("export", help="write a result table")
    _db_option(export)
    export.add_argument("table", help=f"one of: {', '.join(sorted(tables.TABLES))}")
    export.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    export.add_argument("--out", type=Path, required=True)
    _filter_options(export)
    return parser


def sample_files(folder: Path = config.SAMPLE_DIR) -> list[Path]:
    """The sample's input files, catalogues first, each kind in name order."""
    files = [p for p in sorted(folder.iterdir())
             if p.is_file() and p.name.endswith((".csv", ".csv.gz", ".jsonl", ".jsonl.gz",
                                                 ".tsv", ".txt", ".txt.gz", ".tsv.gz"))]

    def rank(path: Path) -> tuple[int, str]:
        for position, prefix in enumerate(SAMPLE_ORDER):
            if path.name.startswith(prefix):
                return position, path.name
        return len(SAMPLE_ORDER), path.name

    return sorted(files, key=rank)


def _ingest(conn, files: list[Path], kind: str | None, profile: str | None) -> int:
    failures = 0
    for path in files:
        result = ingest_file(conn, path, kind=kind, profile=profile)
        print(result.summary())
        failures += not result.ok
    return failures


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = build_parser().parse_args(argv)
    try:
        if args.command == "init":
            with db.connect(args.db) as conn:
                print(f"database ready: {config.db_path(args.db)}")
                failed = _ingest(conn, sample_files(), None, None) if args.sample else 0
            if failed:
                raise CliError(f"{failed} sample file(s) failed to load")
        elif args.command == "ingest":
            with db.connect(args.db) as conn:
                failed = _ingest(conn, args.files, args.kind, args.profile)
            if failed:
                raise CliError(f"{failed} of {len(args.files)} file(s) failed to load")
        elif args.command == "export":
            _export(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (OSError, config.ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _export(args: argparse.Namespace) -> None:
    from dashboard.export.tables import write_table

    if args.table not in tables.TABLES:
        raise CliError(f"unknown table {args.table!r}; choose one of "
                       f"{', '.join(sorted(tables.TABLES))}")
    path = config.db_path(args.db)
    if not path.exists():
        raise CliError(f"no database at {path}; run `python -m dashboard init --sample` first")
    filters = Filters(args.date_from, args.date_to, tuple(args.wave), tuple(args.operator),
                      tuple(args.province))
    with db.connect(path, read_only=True) as conn:
        frame = tables.table(conn, args.table, filters)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_table(frame, args.out, args.format)
    print(f"{args.table}: {len(frame)} rows written to {args.out}")
