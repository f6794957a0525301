"""Deterministic synthetic sample data (inputs for the dashboard, its tests and benchmarks)."""
