-- The SHA-256 of the macro definitions (ddl/macros.sql, ddl/sketch.sql) a write-capable open
-- last created. Macros live in the database file, so a snapshot published by a version with
-- other definitions would run this version's queries against old macros; a read-only open
-- compares the digest with its own and refuses (db.SchemaBehind), and the app then reopens
-- the database for writing, which recreates them, and publishes a new snapshot.
-- Grain: one row.
CREATE TABLE IF NOT EXISTS definitions (
    digest VARCHAR NOT NULL
);
