"""Command line for scheduled jobs: the same functions as the app, headless.

Exit code 0 on success; otherwise non-zero with a one-line reason on stderr, in the command
line's language: --lang id|en where given, else $PEMILU_LANG, else Indonesian (cli_language).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import sys
import traceback
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from pathlib import Path

import duckdb

from dashboard import config, url_params
from dashboard.clock import today_wib
from dashboard.filters import Filters
from dashboard.i18n import LANGUAGES, error_text, format_number, t
from dashboard.ingest import KINDS, ingest_file
from dashboard.ingest.files import safe_file_name
from dashboard.ingest.privacy import mask_phone_numbers
from dashboard.reports import tables
from dashboard.store import db, reach_cells

SAMPLE_ORDER = ("waves", "election", "survey", "hoax")  # catalogues before receipts
NEW_DB_BYTES = 3 * 4096  # DuckDB's file header and two database headers, written at creation


# the language of this run's messages on stderr (main sets it from cli_language)
_LANG: ContextVar[str] = ContextVar("cli_lang", default="id")


def _lang() -> str:
    return _LANG.get()


def cli_language(argv: list[str]) -> str:
    """The language of a command line: its --lang id|en (the command's own option, read before
    parsing so argparse's refusals are said in it too; `experiment reference --lang python`
    names no language), else $PEMILU_LANG, else Indonesian (config.cli_lang)."""
    for position, arg in enumerate(argv):
        if arg == "--":
            break
        value = (arg.removeprefix("--lang=") if arg.startswith("--lang=")
                 else argv[position + 1] if arg == "--lang" and position + 1 < len(argv)
                 else None)
        if value in LANGUAGES:
            return value
    return config.cli_lang()


# argparse's refusals (Python's own English words) -> i18n key, in the order tried
ARGPARSE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^argument (?P<option>\S+): invalid choice: (?P<value>.+) "
                r"\(choose from (?P<choices>.+)\)$"), "cli.arg_invalid_choice"),
    (re.compile(r"^argument (?P<option>\S+): invalid \S+ value: (?P<value>.+)$"),
     "cli.arg_invalid_value"),
    (re.compile(r"^argument (?P<option>\S+): expected one argument$"), "cli.arg_expected_one"),
    (re.compile(r"^argument (?P<option>\S+): (?P<message>.+)$"), "cli.arg_other"),
    (re.compile(r"^the following arguments are required: (?P<names>.+)$"), "cli.arg_required"),
    (re.compile(r"^unrecognized arguments: (?P<names>.+)$"), "cli.arg_unrecognized"),
)


def argparse_message(message: str, lang: str) -> str:
    """argparse's reason for refusing a command line in `lang` (unknown wording: as it is)."""
    for pattern, key in ARGPARSE_MESSAGES:
        if match := pattern.match(message):
            return t(key, lang, **match.groupdict())
    return message


class _Parser(argparse.ArgumentParser):
    """argparse, its refusals (exit 2) said in the run's language, a value quoted in them
    (a mis-pasted phone number) masked."""

    def error(self, message: str) -> typing.NoReturn:
        self.print_usage(sys.stderr)
        reason = mask_phone_numbers(argparse_message(message, _lang()))
        self.exit(2, f"{self.prog}: error: {reason}\n")


def _day(text: str) -> date:
    """A --from/--to/--today/--as-of value: YYYY-MM-DD, refused in the run's language."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_date", _lang(), value=repr(text))) from None


def _lang_option(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help=help or f"language of messages (default ${config.LANG_ENV} or id)")


class CliError(Exception):
    """A failure with a one-line reason for the user."""


class UnknownValue(CliError):
    """A value given on the command line that matches nothing known: exit 2, as argparse's
    own usage errors."""


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=f"DuckDB file (default ${config.DB_ENV} or "
                        f"{config.DEFAULT_DB.relative_to(config.REPO_ROOT)})")


def _filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=_day,
                        help="first send day, YYYY-MM-DD (WIB)")
    parser.add_argument("--to", dest="date_to", type=_day,
                        help="last send day, YYYY-MM-DD (WIB)")
    parser.add_argument("--wave", action="append", default=[],
                        help="wave id, any case (repeatable)")
    parser.add_argument("--operator", action="append", default=[],
                        help="operator id, name or brand, any case (repeatable)")
    parser.add_argument("--province", action="append", default=[],
                        help="province code or name (repeatable)")


def _filters(conn: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> Filters:
    """The command's --from/--to/--wave/--operator/--province, read as the app reads a shared
    link (url_params.parse: operator ids, names and brands in any case, a superset of the
    spellings ingest accepts; wave ids in any case; province codes and names). A value that
    matches nothing known, or a reversed period, is refused: it would write a well-formed
    table of zeros, and a scheduled job shows no warning."""
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UnknownValue(t("cli.reversed_period", args.lang, start=args.date_from,
                             end=args.date_to))
    waves = db.run(conn, "marts/filter_options")["wave_id"].tolist()  # the sidebar's waves
    # the options' names are the link's English keys (url_params.KEY_ALIASES)
    given = {"wave": args.wave, "operator": args.operator, "province": args.province}
    choices = url_params.parse({name: values for name, values in given.items() if values},
                               url_params.FILTER_KEYS, waves=waves)
    if choices.unknown:
        known = {
            "wave": ", ".join(waves) or t("cli.no_waves", args.lang),
            "operator": ", ".join(f"{operator} ({name})" for operator, name
                                  in url_params.operator_labels().items()),
            # code and name: a bare list of codes reads as a phone number and is masked
            "province": ", ".join(f"{code} {name}" for code, name
                                  in url_params.province_labels().items()),
        }
        raise UnknownValue("; ".join(
            t("cli.unknown_value", args.lang, option=f"--{name}", value=repr(value),
              known=known[name]) for name, value in choices.unknown))
    chosen = choices.values
    return Filters(args.date_from, args.date_to, tuple(chosen.get(url_params.WAVES, ())),
                   tuple(chosen.get(url_params.OPERATORS, ())),
                   tuple(chosen.get(url_params.PROVINCES, ())))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create the database (and load the sample data)")
    _db_option(init)
    _lang_option(init)
    init.add_argument("--sample", action="store_true", help="load every file of sample_data/")

    ingest = commands.add_parser("ingest", help="load input files")
    _db_option(ingest)
    _lang_option(ingest)
    ingest.add_argument("files", nargs="+", type=Path)
    ingest.add_argument("--kind", choices=KINDS, help="input kind (default: from the header)")
    ingest.add_argument("--profile", help="operator export profile name or .toml path")
    ingest.add_argument("--reload", action="store_true",
                        help="load files again even if already loaded, replacing their "
                        "earlier receipts in one transaction (repairs what verify finds)")
    ingest.add_argument("--sample", action="store_true",
                        help="the files are sample (synthetic or test) data: every output "
                        "that shows their numbers is marked DATA CONTOH / SAMPLE DATA")

    watch = commands.add_parser("watch", help="load every new complete file dropped into a "
                                "folder, once; move it to loaded/ or failed/ (with its reason)")
    _db_option(watch)
    _lang_option(watch)
    watch.add_argument("folder", type=Path)
    watch.add_argument("--settle", type=float, default=30.0,
                       help="seconds a file must be unchanged before it is taken (default 30)")
    watch.add_argument("--interval", type=float, default=30.0,
                       help="seconds between looks at the folder (default 30)")
    watch.add_argument("--once", action="store_true", help="one look, then exit (for cron)")

    deliver = commands.add_parser("deliver", help="mail the weekly brief (PDF attached) to "
                                  "each recipient, in their language and province scope")
    _db_option(deliver)
    deliver.add_argument("--week", default="last",
                         help="ISO week, or 'last': the latest complete week with receipts")
    deliver.add_argument("--to", nargs="+", default=[], help="addresses (or --schedule)")
    deliver.add_argument("--schedule", type=Path, help="a TOML file of [[recipient]] tables")
    _lang_option(deliver, "language for --to addresses and of messages (default "
                 f"${config.LANG_ENV} or id)")
    deliver.add_argument("--province", type=int, action="append", default=[],
                         help="limit --to addresses to these provinces (repeat)")
    deliver.add_argument("--today", type=_day,
                         help="for --week last: the day to count complete weeks from")
    deliver.add_argument("--alerts", action="store_true",
                         help="mail the alerts that fire and were never mailed, instead of "
                         "the brief (each alert once)")

    alerts = commands.add_parser("alerts", help="evaluate the alert rules in data time and "
                                 "print what fires")
    _db_option(alerts)
    alerts.add_argument("--rules", type=Path, help="a TOML rules file (default $PEMILU_ALERTS "
                        "or the built-in rules)")
    alerts.add_argument("--as-of", type=_day,
                        help="the day to evaluate at (default: the latest send day)")
    _lang_option(alerts)

    backup = commands.add_parser("backup", help="copy what the app shows now to DEST "
                                 "(consistent while the app serves and loads run)")
    _db_option(backup)
    _lang_option(backup)
    backup.add_argument("dest", type=Path)
    restore = commands.add_parser("restore", help="replace the database with a backup")
    _db_option(restore)
    _lang_option(restore)
    restore.add_argument("source", type=Path)
    retention = commands.add_parser("retention", help="delete receipt-level rows sent more "
                                    "than DAYS days ago, keeping the rollups the pages read")
    _db_option(retention)
    _lang_option(retention)
    retention.add_argument("--days", type=int, required=True)
    retention.add_argument("--today", type=_day,
                           help="count the days back from this date (default: today in WIB)")

    verify = commands.add_parser("verify", help="count loaded files' records again and "
                                 "compare with their log entries")
    _db_option(verify)
    _lang_option(verify)
    verify.add_argument("files", nargs="+", type=Path)
    verify.add_argument("--kind", choices=KINDS, help="input kind (default: from the header)")
    verify.add_argument("--profile", help="operator export profile name or .toml path")

    from dashboard.export.tables import WRITERS  # the app's download formats, the same writers

    export = commands.add_parser("export", help="write a result table")
    _db_option(export)
    export.add_argument("table", help=f"one of: {', '.join(sorted(tables.TABLES))}")
    export.add_argument("--format", choices=tuple(WRITERS), default="csv",
                        help="csv: UTF-8, ',' and '.' decimals, unrounded (the export "
                        "contract); csv-excel-id: for Excel with Indonesian settings, ';' and "
                        "decimal commas, rounded as the pages show; json; xlsx")
    export.add_argument("--out", type=Path, required=True)
    _filter_options(export)
    export.add_argument("--exclude-noken", action="store_true",
                        help="participation_tests without the Papua highland (noken) provinces")
    _lang_option(export, "language of the headers of xlsx and csv-excel-id (csv and json "
                 "keep the contract's names), of the notes that say where the numbers come "
                 "from (an xlsx's second sheet, rows under a csv-excel-id's table, else OUT.txt "
                 f"beside the file) and of messages (default ${config.LANG_ENV} or id)")

    brief = commands.add_parser("brief", help="write the weekly brief (PDF or HTML)")
    _db_option(brief)
    brief.add_argument("--week", help="ISO week, e.g. 2024-W06 (default: the latest with data)")
    brief.add_argument("--out", type=Path, required=True)
    brief.add_argument("--format", choices=("pdf", "html"),
                       help="default: from the --out suffix, else pdf")
    _lang_option(brief)
    brief.add_argument("--title", help="the brief's heading instead of 'Ringkasan Mingguan'")
    brief.add_argument("--logo", type=Path, help="a PNG, JPEG or SVG logo for the cover")

    lake = commands.add_parser("lake", help="write the receipts as a hive-partitioned Parquet "
                               "lake (wave_id=/operator=), for Spark, Trino or MotherDuck")
    _db_option(lake)
    _lang_option(lake)
    lake.add_argument("--out", type=Path, required=True,
                      help="the lake's folder: new, empty, or a lake written before (replaced)")

    figure = commands.add_parser("figure", help="write one chart, press-ready")
    _db_option(figure)
    figure.add_argument("name", help="one of: " + ", ".join(_figure_names()))
    figure.add_argument("--format", choices=("png", "svg", "pdf", "html"), default="png")
    figure.add_argument("--size", choices=("slide", "social", "a4"), default="slide")
    figure.add_argument("--out", type=Path, required=True)
    _lang_option(figure)
    figure.add_argument("--logo", type=Path, help="optional logo (PNG or SVG), top right")
    _filter_options(figure)

    from dashboard.experiment import cli_commands  # the randomised experiment (issue 18)

    cli_commands.add_parser(commands, _db_option)
    from dashboard import cluster  # Spark from the Parquet lake (issue 19); imports no Spark

    cluster.add_parser(commands)
    return parser


def _figure_names() -> list[str]:
    from dashboard.reports.figures_registry import FIGURES

    return sorted(FIGURES)


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


@contextmanager
def _database(option: str | Path | None, read_only: bool = False,
              ) -> Iterator[duckdb.DuckDBPyConnection]:
    """db.connect, with problems of the database file itself (in use, disk full, cannot be
    written) turned into one-line reasons that name the file and say what to do."""
    path = config.db_path(option)
    try:
        with db.connect(path, read_only=read_only) as conn:
            yield conn
    except (duckdb.Error, OSError) as exc:
        problem = db.storage_problem(exc, path)
        if problem is None:
            raise
        raise CliError(_storage_reason(problem, path, exc, read_only)) from exc


def _storage_reason(problem: str, path: Path, exc: BaseException | str, read_only: bool) -> str:
    if problem == "in_use":
        holder = re.search(r"\(PID (\d+)\)", str(exc))
        pid = f" (PID {holder.group(1)})" if holder else ""
        # not this dashboard: its app reads snapshots and its commands take turns
        return t("cli.db_in_use", _lang(), path=path, pid=pid)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    # DuckDB says 'IO Error: Cannot open file "<path>": <the system's reason>'
    said = re.search(r'"[^"]*": ([^"]+)$', text)
    reason = exc.strerror if isinstance(exc, OSError) else said.group(1) if said else text
    if problem == "full":
        return t("cli.db_full", _lang(), path=path, reason=reason)
    if problem == "not_duckdb":
        if _interrupted_creation(path):
            return t("cli.db_incomplete", _lang(), path=path, size=path.stat().st_size)
        return t("cli.db_not_duckdb", _lang(), path=path, env=config.DB_ENV)
    if isinstance(exc, FileExistsError):  # a folder on the way is a file
        reason = t("cli.not_a_folder", _lang(), path=exc.filename)
    elif isinstance(exc, OSError):
        reason = f"{reason}: {exc.filename}"
    return t("cli.db_cannot_open" if read_only else "cli.db_cannot_open_for_writing", _lang(),
             path=path, reason=reason, env=config.DB_ENV)


def _interrupted_creation(path: Path) -> bool:
    """An empty file, or DuckDB's magic bytes and less than a new database's headers: what a
    process killed while DuckDB created the file leaves (it holds no data)."""
    if not path.is_file() or path.stat().st_size >= NEW_DB_BYTES:
        return False
    head = path.read_bytes()[:12]
    return head == b"" or head[8:12] == b"DUCK"


def _ingest(conn, files: list[Path], kind: str | None, profile: str | None,
            db_path: Path, reload: bool = False, sample: bool = False) -> int:
    failures = 0
    ingest_log = logging.getLogger("dashboard.ingest")
    level = ingest_log.level
    # a failed file's reason is printed on stdout below: its warning would only repeat it and
    # break the one-line reason on stderr
    ingest_log.setLevel(logging.ERROR)
    try:
        for path in files:
            result = ingest_file(conn, path, kind=kind, profile=profile, reload=reload,
                                 sample=sample,
                                 # the name as ingest cleans it (a number in it masked), as
                                 # the summary below prints it
                                 progress=_progress_line(safe_file_name(path.name)))
            print(_summary(result))
            if not result.ok and db.storage_problem(result.message, db_path) == "full":
                # ingest rolled the file back; the next ones would fail the same way
                raise CliError(_storage_reason("full", db_path, result.message, False))
            failures += not result.ok
    finally:
        ingest_log.setLevel(level)
    return failures


def _summary(result) -> str:
    """A file's line on stdout: why a file was not loaded in Indonesian as the app says it
    (i18n problem.*; the file's own values masked as ingest masked them); else, and in English,
    ingest's own words (English, with the counts)."""
    if result.problem and not result.ok and _lang() != "en":
        return t(f"problem.{result.problem}", _lang(), name=result.file_name,
                 **result.problem_values)
    return result.summary()


def _progress_line(name: str) -> Callable[[float, str], None] | None:
    """On a terminal, the load's stage, percent and time left on one stderr line that is
    rewritten as it goes (scripts and logs get only the summary on stdout)."""
    if not sys.stderr.isatty():
        return None
    from dashboard.service.progress import Clock

    def show(fraction: float, text: str) -> None:
        print(f"\r\033[K{name}: {text}", end="\n" if fraction >= 1 else "", file=sys.stderr,
              flush=True)

    return Clock(show, _lang())


def _lower_priority(target: int) -> None:
    """Run at niceness `target` (never raising priority; repeated calls change nothing).
    Before any connection: DuckDB's and our threads inherit it."""
    current = os.nice(0)
    if current < target:
        os.nice(target - current)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    lang = cli_language(sys.argv[1:] if argv is None else argv)
    token = _LANG.set(lang)
    try:
        return _run(build_parser().parse_args(argv), lang)
    finally:
        _LANG.reset(token)


def _run(args: argparse.Namespace, lang: str) -> int:
    if args.command != "experiment":  # its reference --lang is a programming language
        args.lang = lang  # the command's --lang, else $PEMILU_LANG, else id
    try:
        _lower_priority(config.cli_niceness())
        if args.command == "init":
            with _database(args.db) as conn:
                from dashboard.ingest.stand_ins import settle_message_id_stand_ins

                if rewritten := settle_message_id_stand_ins(conn):  # migration 0014 owes it
                    print(t("cli.init_stand_ins", lang, count=format_number(rewritten,
                                                                             lang=lang)))
                print(t("cli.init_ready", lang, path=config.db_path(args.db)))
                if args.sample:  # the simulated experiment's plan, frozen before its waves
                    from dashboard.experiment.plan import PlanError
                    from dashboard.sample.experiment import freeze_sample_plan

                    try:
                        print(t("cli.init_sample_plan", lang,
                                experiment=freeze_sample_plan(conn)))
                    except PlanError as exc:  # e.g. an older sample's plan under the same id
                        raise CliError(t("cli.sample_plan", lang,
                                         reason=exc.message(lang))) from exc
                failed = (_ingest(conn, sample_files(), None, None, config.db_path(args.db),
                                  sample=True) if args.sample else 0)
            if failed:
                raise CliError(t("cli.sample_failed", lang, failed=failed))
        elif args.command == "ingest":
            with _database(args.db) as conn:
                failed = _ingest(conn, args.files, args.kind, args.profile,
                                 config.db_path(args.db), args.reload, args.sample)
            if failed:
                raise CliError(t("cli.files_failed", lang, failed=failed,
                                 total=len(args.files)))
        elif args.command == "verify":
            _verify(args)
        elif args.command == "watch":
            return _watch(args)
        elif args.command in ("backup", "restore", "retention"):
            _keep(args)
        elif args.command == "deliver":
            _deliver(args)
        elif args.command == "alerts":
            _alerts(args)
        elif args.command == "export":
            _export(args)
        elif args.command == "brief":
            _brief(args)
        elif args.command == "figure":
            _figure(args)
        elif args.command == "lake":
            _lake(args)
        elif args.command == "cluster":
            from dashboard import cluster

            return cluster.run(args)
        elif args.command == "experiment":
            from dashboard.experiment import cli_commands

            cli_commands.run(args)
    # an error may quote a setting, a path or a value given (a mis-pasted phone number)
    except UnknownValue as exc:
        print(f"error: {mask_phone_numbers(str(exc))}", file=sys.stderr)
        return 2
    except CliError as exc:
        print(f"error: {mask_phone_numbers(str(exc))}", file=sys.stderr)
        return 1
    except _chromium_missing() as exc:
        print(f"error: {mask_phone_numbers(error_text(exc, lang))}", file=sys.stderr)
        return 3
    except (OSError, config.ConfigError) as exc:  # a lower layer's: said through i18n
        print(f"error: {mask_phone_numbers(error_text(exc, lang))}", file=sys.stderr)
        return 2
    return 0


def _verify(args: argparse.Namespace) -> None:
    from dashboard.ingest.verify import verify_file

    with _database(_existing_db(args.db), read_only=True) as conn:  # temp tables only
        results = [verify_file(conn, path, args.kind, args.profile) for path in args.files]
    for result in results:
        print(result.summary())
    if failed := sum(not result.ok for result in results):
        raise CliError(t("cli.verify_failed", args.lang, failed=failed, total=len(results)))


def _export(args: argparse.Namespace) -> None:
    from dashboard.export.provenance import data_of_table, provenance, table_filters
    from dashboard.export.tables import write_table

    if args.table not in tables.TABLES:
        raise CliError(t("cli.unknown_table", args.lang, name=repr(args.table),
                         known=", ".join(sorted(tables.TABLES))))
    path = _existing_db(args.db)
    with _database(path, read_only=True) as conn:
        filters = _filters(conn, args)
        options: dict[str, object] = ({"exclude_noken": True} if args.exclude_noken
                                      and args.table == "participation_tests" else {})
        if args.table in tables.EXACT_OPTION:  # a batch job can wait: unique reach exact
            options["approximate"] = False
        try:
            frame = tables.table(conn, args.table, filters, **options)
            origin = provenance(conn, data_of_table(args.table),
                                table_filters(args.table, frame, filters), args.lang,
                                unique_reach=tables.shows_unique_reach(frame))
        except reach_cells.NotCurrent as exc:
            raise CliError(exc.message(args.lang)) from exc
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_table(frame, args.out, args.format, origin.table_lines(frame.columns),
                    t("prov.notes_title", args.lang), args.lang)
    except OSError as exc:
        reason = _output_reason("export", args.out, exc)
        _collect_quietly(exc)
        raise CliError(reason) from None
    print(t("cli.export_written", args.lang, table=args.table,
            rows=format_number(len(frame), lang=args.lang), out=args.out))


def _deliver(args: argparse.Namespace) -> None:
    from dashboard.service import deliver

    recipients = [deliver.Recipient(to, args.lang, tuple(args.province)) for to in args.to]
    if args.schedule:
        recipients += deliver.read_schedule(args.schedule)
    if not recipients:
        raise CliError(t("cli.no_recipients", args.lang))
    settings = deliver.SmtpSettings.from_env()
    if args.alerts:
        new = deliver.deliver_alerts(_existing_db(args.db), deliver.scoped(recipients),
                                     settings)  # data time
        print(t("cli.deliver_alerts_sent", args.lang, new=new, recipients=len(recipients)))
        return
    with _database(_existing_db(args.db), read_only=True) as conn:
        week = (deliver.last_complete_week(conn, args.today or today_wib())
                if args.week == "last" else args.week)
        sent = deliver.deliver(conn, week, recipients, settings)
    print(t("cli.deliver_sent", args.lang, week=week, count=len(sent),
            addresses=", ".join(sent) or "-"))


def _alerts(args: argparse.Namespace) -> None:
    from dashboard.service.alerts import evaluate, load_rules

    rules = load_rules(args.rules)
    with _database(_existing_db(args.db), read_only=True) as conn:
        fired = evaluate(conn, rules, args.lang, args.as_of)
    for alert in fired:
        print(f"{alert.kind}: {alert.message}")
    print(t("cli.alerts_fired", args.lang, fired=len(fired), rules=len(rules)))


def _keep(args: argparse.Namespace) -> None:
    from dashboard.store import backup

    path = config.db_path(args.db)
    if args.command == "backup":
        print(t("cli.backup_written", args.lang, path=path,
                dest=backup.backup(path, args.dest)))
    elif args.command == "restore":
        files = backup.restore(path, args.source)
        print(t("cli.restored", args.lang, path=path, source=args.source,
                files=format_number(files, lang=args.lang)))
    else:
        with _database(path) as conn:
            deleted = backup.apply_retention(conn, args.days, args.today)
        print(t("cli.retention_deleted", args.lang,
                **{table: format_number(n, lang=args.lang) for table, n in deleted.items()}))


def _watch(args: argparse.Namespace) -> int:
    """Exit 0 when every file taken loaded (or was loaded before), 1 when one failed."""
    from dashboard.service.watch import watch

    if not args.folder.is_dir():
        raise CliError(t("cli.no_folder", args.lang, path=args.folder))
    handled = watch(args.folder, config.db_path(args.db), args.settle, args.interval,
                    args.once, report=lambda h: print(f"{h.outcome}: {h.summary}", flush=True))
    return 1 if any(h.outcome == "failed" for h in handled) else 0


def _lake(args: argparse.Namespace) -> None:
    from dashboard.store.lake import PARTITIONS, LakeError, write_lake

    with _database(args.db, read_only=True) as conn:
        try:
            rows = write_lake(conn, args.out)
        except LakeError as exc:
            raise CliError(exc.message(args.lang)) from exc
        except (duckdb.Error, OSError) as exc:  # the lake's disk, not the database's
            raise CliError(_output_reason("lake", args.out, exc,
                                          t("cli.lake_kept", _lang()))) from exc
    print(t("cli.lake_written", args.lang, rows=format_number(rows, lang=args.lang),
            out=args.out, columns=", ".join(PARTITIONS)))


def _output_reason(what: str, path: Path, exc: BaseException, kept: str = "") -> str:
    """One line for a failed write of an output file or folder (`what`: cli.output.<what>
    in i18n: export, lake, brief, figure, plan_pdf, plan): which one, and a full disk said as
    such (the OS's own words alone name neither)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else text
    full = (isinstance(exc, OSError) and exc.errno in db.FULL_ERRNOS) or any(
        os.strerror(code) in text for code in db.FULL_ERRNOS)
    kept = f"; {kept}" if kept else ""
    named = t(f"cli.output.{what}", _lang())
    if full:
        return t("cli.output_full", _lang(), what=named, path=path, reason=reason, kept=kept)
    where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
    return t("cli.output_failed", _lang(), what=named, path=path, reason=reason, where=where,
             kept=kept)


def _collect_quietly(exc: BaseException) -> None:
    """Finalise what a failed writer left behind now, without its noise: openpyxl's
    worksheet streams fail again when collected and would print a traceback at exit, under
    the one-line reason."""
    traceback.clear_frames(exc.__traceback__)
    exc.__traceback__ = None
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _chromium_missing() -> type[Exception]:
    from dashboard.export.figures import ChromiumMissing

    return ChromiumMissing


def _existing_db(option: str | None) -> Path:
    path = config.db_path(option)
    if not path.exists():
        raise CliError(t("cli.no_database", _lang(), path=path))
    return path


def _brief(args: argparse.Namespace) -> None:
    from dashboard.export.figures import ChromiumMissing, chromium_available
    from dashboard.reports import brief, weekly

    fmt = args.format or ("html" if args.out.suffix.lower() in (".html", ".htm") else "pdf")
    if fmt == "pdf" and not chromium_available():
        raise ChromiumMissing()  # before any work: the reason fits on one line
    logo = None
    if args.logo is not None:
        try:
            logo = brief.read_logo(args.logo.read_bytes())
        except OSError as exc:
            raise CliError(t("cli.logo_unreadable", args.lang, path=args.logo,
                             reason=exc.strerror or exc)) from exc
        except ValueError as exc:
            raise CliError(t("cli.logo_invalid", args.lang, path=args.logo, reason=exc)) from exc
    with _database(_existing_db(args.db), read_only=True) as conn:
        try:
            week = args.week or weekly.latest_week(conn)
            summary = weekly.weekly_summary(conn, week, args.lang)
        except (ValueError, weekly.NoWeekData) as exc:
            raise CliError(error_text(exc, args.lang)) from exc
    try:
        if fmt == "pdf":
            # through a temp folder: its disk may be full
            brief.brief_pdf(summary, args.out, title=args.title, logo=logo)
        else:
            from dashboard.export.files import write_atomically

            write_atomically(args.out, brief.brief_html(summary, title=args.title, logo=logo))
    except OSError as exc:
        raise CliError(_output_reason("brief", args.out, exc)) from exc
    print(t("cli.brief_written", args.lang, week=summary.iso_week, fmt=fmt, out=args.out))


def _figure(args: argparse.Namespace) -> None:
    from dashboard.export.figures import (
        ChromiumMissing,
        chromium_available,
        export_figures,
    )
    from dashboard.reports import figures_registry

    if args.name not in figures_registry.FIGURES:
        raise CliError(t("cli.unknown_figure", args.lang, name=repr(args.name),
                         known=", ".join(_figure_names())))
    if args.format != "html" and not chromium_available():
        raise ChromiumMissing()
    with _database(_existing_db(args.db), read_only=True) as conn:
        press = figures_registry.press(conn, args.name, _filters(conn, args), args.lang, args.size,
                                       args.logo)
    try:
        export_figures([(press, args.out, args.format)])
    except OSError as exc:
        raise CliError(_output_reason("figure", args.out, exc)) from exc
    print(t("cli.figure_written", args.lang, name=args.name, fmt=args.format, size=args.size,
            out=args.out))
