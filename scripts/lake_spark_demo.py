"""Run the lake's portable query through Spark SQL and through DuckDB, and compare.

    python -m dashboard lake --out /tmp/pemilu_lake            # write the lake
    python -m venv /tmp/sparkenv && /tmp/sparkenv/bin/pip install 'pyspark==3.5.*' duckdb pandas
    /tmp/sparkenv/bin/python scripts/lake_spark_demo.py /tmp/pemilu_lake

Needs Java 17 (Debian's openjdk-17-jre-headless). Spark runs in local mode: the same files and
the same SQL would run on a cluster. This demo is not part of the test suite; the rollups
Spark computes for the dashboard are (tests/test_cluster_rollups.py, marker `spark`, with
pyspark from requirements-dev.txt; docs/LAKE.md "Rollups computed by Spark").
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY = (ROOT / "queries" / "lake" / "reach_operator_lake.sql").read_text(encoding="utf-8")


def spark_result(lake: Path):
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("pemilu-lake")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter()
    # hive partitions (wave_id=..., operator=...) become columns, as in DuckDB
    spark.read.parquet(str(lake)).createOrReplaceTempView("lake_receipts")
    frame = spark.sql(QUERY).toPandas()
    seconds = time.perf_counter() - start
    spark.stop()
    return frame, seconds


def duckdb_result(lake: Path):
    import duckdb

    conn = duckdb.connect()
    # the relation API takes the path as a value: nothing is formatted into SQL
    conn.read_parquet(str(lake / "**" / "*.parquet"), hive_partitioning=True
                      ).create_view("lake_receipts")
    start = time.perf_counter()
    frame = conn.execute(QUERY).df()
    return frame, time.perf_counter() - start


def main() -> None:
    lake = Path(sys.argv[1])
    spark, spark_s = spark_result(lake)
    duck, duck_s = duckdb_result(lake)
    print(f"Spark SQL ({spark_s:.2f} s, includes reading the footers):")
    print(spark.to_string(index=False))
    print(f"\nDuckDB ({duck_s:.2f} s):")
    print(duck.to_string(index=False))
    merged = spark.merge(duck, on="operator", suffixes=("_spark", "_duckdb"))
    same = all((merged[f"{c}_spark"].astype("int64") == merged[f"{c}_duckdb"]).all()
               for c in ("sent", "delivered", "unique_reach"))
    rate = (merged["delivery_rate_spark"] - merged["delivery_rate_duckdb"]).abs().max()
    print(f"\nsame counts: {same}; largest delivery-rate difference: {rate:.2e}")
    sys.exit(0 if same and rate < 1e-12 and len(merged) == len(duck) else 1)


if __name__ == "__main__":
    main()
