-- Schema 2: the token last reported to the backend, one row at most
-- (`id = 1`). Shipped: never edit, add a new step instead.
CREATE TABLE IF NOT EXISTS registration_reported (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    user_id     TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    business_id INTEGER NOT NULL,
    token       TEXT    NOT NULL,
    reported_at INTEGER NOT NULL
);
