"""The Parquet lake: hive layout, every receipt once, and the portable query giving the
dashboard's own figures when DuckDB reads the lake."""

from __future__ import annotations

from dashboard import db, tables
from dashboard.cli import main
from dashboard.lake import lake_connection


def test_the_lake_is_hive_partitioned_and_complete(sample_db, tmp_path, capsys):
    lake = tmp_path / "lake"
    assert main(["lake", "--db", str(sample_db), "--out", str(lake)]) == 0
    assert "receipts written" in capsys.readouterr().out
    partitions = {p.relative_to(lake).parts[:2] for p in lake.rglob("*.parquet")}
    with db.connect(sample_db, read_only=True) as conn:
        expected = {(f"wave_id={w}", f"operator={o}") for w, o in conn.execute(
            "SELECT DISTINCT wave_id, operator FROM receipts").fetchall()}
        stored = conn.execute("SELECT count(*), count(DISTINCT recipient_key) FROM receipts"
                              ).fetchall()[0]
    assert partitions == expected
    with lake_connection(lake) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT recipient_key_signed) "
                            "FROM lake_receipts").fetchall()[0] == stored
    assert not (tmp_path / "lake.writing").exists()


def test_the_portable_query_matches_the_dashboard(sample_db, tmp_path):
    lake = tmp_path / "lake"
    assert main(["lake", "--db", str(sample_db), "--out", str(lake)]) == 0
    with lake_connection(lake) as conn:
        from_lake = db.run(conn, "lake/reach_operator_lake")
    with db.connect(sample_db, read_only=True) as conn:
        dashboard = tables.table(conn, "reach_operator")
    merged = from_lake.merge(dashboard, on="operator", suffixes=("_lake", ""))
    assert len(merged) == len(dashboard) == 4
    for column in ("sent", "delivered", "unique_reach"):
        assert (merged[f"{column}_lake"] == merged[column]).all(), column
    assert (merged["delivery_rate_lake"] - merged["delivery_rate"]).abs().max() < 1e-12
