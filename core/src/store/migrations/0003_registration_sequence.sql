-- Schema 3: the installation's report/clear sequence (one row) and the
-- proactive-logout clears not yet confirmed by the backend. Shipped: never
-- edit, add a new step instead.
CREATE TABLE registration_sequence (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
CREATE TABLE registration_pending_clear (
    sequence    INTEGER PRIMARY KEY,
    user_id     TEXT    NOT NULL,
    channel     TEXT,
    attempts    INTEGER NOT NULL,
    login_since INTEGER NOT NULL
);
