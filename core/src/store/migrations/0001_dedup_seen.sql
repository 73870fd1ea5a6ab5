-- Schema 1: dedup's seen keys per kind. `id` gives insertion order, which
-- the row cap evicts by; the time index serves the TTL sweep; the unique
-- index answers the lookup. Shipped: never edit, add a new step instead.
CREATE TABLE dedup_seen (
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,
    key TEXT NOT NULL,
    first_seen_ms INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE UNIQUE INDEX dedup_seen_key ON dedup_seen(kind, key);
CREATE INDEX dedup_seen_time ON dedup_seen(first_seen_ms);
