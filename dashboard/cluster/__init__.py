"""The path beyond one machine: the dashboard's rollups computed by an existing distributed
engine (Spark) from the Parquet lake, with the same query files the native ingest runs
(docs/LAKE.md, "Rollups computed by Spark")."""
