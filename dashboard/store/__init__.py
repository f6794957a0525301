"""Keeping the database: snapshots for readers, one writer at a time."""
