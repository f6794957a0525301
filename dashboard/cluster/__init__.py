"""The path beyond one machine: the dashboard's rollups computed by an existing distributed
engine (Spark) from the Parquet lake, with the same query files the native ingest runs
(docs/LAKE.md, "Rollups computed by Spark"). This module imports neither Spark nor sqlglot:
the CLI builds its parser from it whether or not they are installed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def rollup_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the rollups job (`python -m dashboard cluster rollups` and
    `python -m dashboard.cluster.spark_rollups`)."""
    parser.add_argument("--lake", type=Path, required=True,
                        help="a lake written by `python -m dashboard lake`")
    parser.add_argument("--out", type=Path, required=True,
                        help="the rollups' folder: new, empty, or written here before")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")


def needs_spark(module: str | None, lang: str) -> str:
    """Why a cluster command cannot run here: a module it needs is not installed."""
    from dashboard.i18n import t

    return t("cli.cluster_needs", lang, module=module)


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The `cluster` command and its subcommands."""
    cluster = commands.add_parser("cluster", help="compute from the Parquet lake on Spark "
                                  "(needs pyspark, sqlglot and Java; docs/LAKE.md)")
    sub = cluster.add_subparsers(dest="cluster_command", required=True)
    rollup_arguments(sub.add_parser("rollups", help="receipt_counts, latency_histogram, "
                                    "reach_cells, the sketch's registers, the receipts per "
                                    "unit and per number's arm (experiments' compliance) "
                                    "from the lake, as Parquet with a manifest"))
    attach = sub.add_parser("attach", help="build a dashboard database in large-campaign mode "
                            "from a `cluster rollups` folder (no raw receipts; DuckDB only)")
    attach.add_argument("--rollups", type=Path, required=True,
                        help="a folder written by `python -m dashboard cluster rollups`")
    attach.add_argument("--db", type=Path, default=None,
                        help="the database to fill (a new one, or one without receipts)")
    attach.add_argument("--accounting", type=Path, default=None,
                        help="the accounting.json `cluster ingest` wrote beside the lake: "
                        "the files it read are logged for the data-quality page")
    attach.add_argument("--lang", choices=("id", "en"), default=None,
                        help="language of the messages (default $PEMILU_LANG or id)")
    from dashboard.cluster.spark_ingest import ingest_arguments  # cluster ingest: no Spark

    ingest_arguments(sub.add_parser(
        "ingest", help="receipts files read on Spark with the ingest's validation and "
        "accounting, written as the Parquet lake (docs/LAKE.md)"))


def run(args: argparse.Namespace) -> int:
    """Run a `cluster` subcommand; the exit code."""
    if args.cluster_command == "attach":  # no Spark: DuckDB reads the cluster's Parquet
        from dashboard.cluster.attach import run_attach

        return run_attach(args.rollups, args.db, args.lang, args.accounting)
    if args.cluster_command == "ingest":  # cluster ingest: raw files read by Spark
        from dashboard.cluster.spark_ingest import run_ingest

        return run_ingest(args)
    try:
        from dashboard.cluster.spark_rollups import run_rollups
    except ModuleNotFoundError as exc:  # pyspark and sqlglot are not the app's requirements
        print(f"error: {needs_spark(exc.name, args.lang)}", file=sys.stderr)
        return 2
    return run_rollups(args.lake, args.out, args.master)
