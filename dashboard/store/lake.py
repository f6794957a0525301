"""The receipts as a hive-partitioned Parquet lake (wave_id=/operator=/*.parquet), the path
beyond one machine: Spark SQL, Trino or MotherDuck can read the same files. docs/LAKE.md has
the layout, the dialect differences and the Spark demonstration."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from dashboard.i18n import Translatable
from dashboard.ingest.privacy import MASK_SQL, PHONE_SHAPE_SQL
from dashboard.sample.manifest import known_sample_hashes
from dashboard.store import db

PARTITIONS = ("wave_id", "operator")
# the rows as exported: a message id that looks like a phone number masked (lake_export.sql);
# the cluster ingest (cluster/spark_ingest.py) writes its lake with the same statement
LAKE_ROWS_SQL = (f"WITH lake_rows AS (\n{db.sql_text('lake/lake_receipts')}\n)\n"
                 f"{db.sql_text('lake/lake_export')}")
# the tables lake_receipts.sql reads: the receipts, and what places a receipt of a frozen
# individual experiment in its arm
LAKE_SOURCE_TABLES = ("receipts", "experiments", "experiment_waves", "experiment_strata",
                      "holdout_buckets")
# Written into every lake: only a folder holding it (and nothing but a lake's files) is ever
# replaced, so --out pointing at someone's folder deletes nothing. Its JSON also says whether
# the receipts are sample data, for what is computed from the lake (cluster/spark_rollups.py).
MARKER = ".pemilu-lake"


class LakeError(Translatable, ValueError):
    """The --out folder cannot take the lake; the message is one line and says why."""


def write_lake(conn: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """Write every stored receipt under folder, replacing a lake written there before (never
    other files: LakeError); returns the rows. Readers never see half a lake."""
    folder = Path(os.path.abspath(folder))  # "." and "lake/" get a name and a parent
    _check_target(folder)
    rows = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
    folder.parent.mkdir(parents=True, exist_ok=True)
    # a fresh name beside the target (same file system, so the rename is atomic); never a
    # fixed name, which could be someone's folder
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.writing-"))
    old: Path | None = None
    try:
        # COPY takes no bound parameter for its target: the path is quoted as a SQL literal
        # here, from our own argument, never from a request
        target = str(staging).replace("'", "''")
        conn.execute(f"COPY ({LAKE_ROWS_SQL}) TO '{target}' "  # noqa: S608
                     f"(FORMAT parquet, PARTITION_BY ({', '.join(PARTITIONS)}), "
                     "COMPRESSION zstd, ROW_GROUP_SIZE 1000000)",
                     {"phone_shape": PHONE_SHAPE_SQL, "mask": MASK_SQL})
        write_marker(staging, "python -m dashboard lake", rows, _sample(conn),
                     individual_plans(conn))
        if folder.exists():  # an empty folder or our own lake (checked above)
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old-"))
            folder.rename(old / "lake")
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not folder.exists():
            (old / "lake").rename(folder)  # put the previous lake back
            old.rmdir()
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return rows


def _sample(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether any stored receipts come from sample data, as the dashboard marks its outputs
    (marts/provenance_loads.sql)."""
    loads = db.run(conn, "marts/provenance_loads", sample_hashes=sorted(known_sample_hashes()))
    return bool(loads.loc[loads["kind"] == "receipts", "sample"].any())


def missing_lake_columns(folder: Path) -> list[str]:
    """The columns a lake file should hold (the lake's own query, LAKE_ROWS_SQL, less the
    folder columns PARTITIONS) that the first file under folder lacks: a lake written before
    a column was added (the regency, the hold-out arm) cannot give every rollup."""
    import pyarrow.parquet as pq

    first = next(folder.glob("*=*/*=*/*.parquet"), None)
    if first is None:
        return []
    with db.memory_connection() as conn:
        expected = [name for name, *_ in conn.execute(
            f"DESCRIBE {LAKE_ROWS_SQL}", {"phone_shape": PHONE_SHAPE_SQL, "mask": MASK_SQL}
        ).fetchall() if name not in PARTITIONS]
    present = set(pq.read_schema(first).names)
    return [name for name in expected if name not in present]


def write_marker(folder: Path, command: str, receipts: int, sample: bool,
                 plans: dict[str, str]) -> None:
    """The lake's marker (MARKER) in folder: who wrote it, its receipts, whether they are
    sample data, and the plans its hold-out arms were placed by (individual_plans)."""
    (folder / MARKER).write_text(json.dumps({
        "written_by": f"{command}; the folder is replaced by the next run",
        "receipts": receipts, "sample": sample, "experiments": plans}) + "\n",
        encoding="utf-8")


def individual_plans(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The frozen individual experiments whose arms the lake's rows carry (lake_receipts.sql),
    each with its plan's SHA-256: the marker says them, so that rollups are attached only
    to a database holding the same plans (cluster/attach.py)."""
    return dict(conn.execute("SELECT experiment_id, plan_sha256 FROM experiments "
                             "WHERE design = 'individual' ORDER BY experiment_id").fetchall())


def _marker(folder: Path) -> dict:
    """What the lake's marker says ({} when there is none or it is not JSON)."""
    try:
        said = json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return said if isinstance(said, dict) else {}


def lake_sample(folder: Path) -> bool | None:
    """Whether the lake in folder holds sample data, as its marker says (None: a lake written
    before the marker said it, or no lake)."""
    sample = _marker(folder).get("sample")
    return sample if isinstance(sample, bool) else None


def lake_plans(folder: Path) -> dict[str, str] | None:
    """The experiments and plan hashes the lake's hold-out arms were placed by, as its marker
    says (None: a lake written before the marker said them)."""
    plans = _marker(folder).get("experiments")
    if not isinstance(plans, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in plans.items()):
        return None
    return plans


def _check_target(folder: Path) -> None:
    """LakeError unless folder is new, empty, or a lake this command wrote with nothing else
    in it."""
    if folder.exists() and not folder.is_dir():
        raise LakeError("lake.error.a_file", folder=folder)
    if not folder.exists() or not any(folder.iterdir()):
        return
    if not (folder / MARKER).is_file():
        raise LakeError("lake.error.not_a_lake", folder=folder, marker=MARKER)
    others = [str(p.relative_to(folder)) for p in sorted(folder.rglob("*"))
              if not _lake_file(p.relative_to(folder), p.is_dir())]
    if others:
        raise LakeError("lake.error.other_files" if len(others) <= 3 else
                        "lake.error.other_files_more", folder=folder,
                        listed=", ".join(others[:3]), more=len(others) - 3)


def _lake_file(relative: Path, is_dir: bool) -> bool:
    """Whether a path inside a lake folder is one this command writes: the marker,
    wave_id=<w>/, wave_id=<w>/operator=<o>/ and Parquet files in the latter."""
    parts = relative.parts
    if parts == (MARKER,):
        return not is_dir
    if not parts[0].startswith("wave_id="):
        return False
    if len(parts) == 1:
        return is_dir
    if not parts[1].startswith("operator="):
        return False
    if len(parts) == 2:
        return is_dir
    return len(parts) == 3 and not is_dir and relative.suffix == ".parquet"


def lake_connection(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose view lake_receipts reads the lake's files."""
    conn = db.memory_connection()
    files = str(folder / "**" / "*.parquet").replace("'", "''")
    # a view cannot take a bound parameter: the folder is ours, quoted as a literal
    conn.execute(f"CREATE VIEW lake_receipts AS SELECT * FROM read_parquet('{files}', "  # noqa: S608
                 "hive_partitioning = true)")
    return conn
