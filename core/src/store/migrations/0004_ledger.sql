-- Schema 4: the notification ledger (shown notifications, their state, the
-- logged-in account, the unread count per account). Its number may change
-- at a merge until it ships; once shipped, never edit: add a new step.
CREATE TABLE ledger_shown (
    id             INTEGER PRIMARY KEY,
    message_key    TEXT    NOT NULL,
    account        TEXT    NOT NULL,
    conversation   TEXT    NOT NULL,
    handle_tag     TEXT    NOT NULL,
    handle_id      INTEGER NOT NULL,
    message_ms     INTEGER NOT NULL,
    shown_ms       INTEGER NOT NULL,
    state          INTEGER NOT NULL CHECK (state BETWEEN 1 AND 4),
    content_digest TEXT    NOT NULL,
    source         TEXT    NOT NULL
);
CREATE UNIQUE INDEX ledger_shown_key ON ledger_shown(message_key);
CREATE INDEX ledger_shown_conversation ON ledger_shown(conversation, message_ms);
CREATE INDEX ledger_shown_handle ON ledger_shown(handle_tag, handle_id);
CREATE INDEX ledger_shown_time ON ledger_shown(shown_ms);
CREATE TABLE ledger_account (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    account    TEXT,
    changed_ms INTEGER NOT NULL
);
CREATE TABLE ledger_unread (
    account TEXT PRIMARY KEY,
    shown   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER ledger_unread_insert AFTER INSERT ON ledger_shown
WHEN NEW.state = 1 BEGIN
    INSERT INTO ledger_unread(account, shown) VALUES (NEW.account, 1)
        ON CONFLICT(account) DO UPDATE SET shown = shown + 1;
END;
CREATE TRIGGER ledger_unread_delete AFTER DELETE ON ledger_shown
WHEN OLD.state = 1 BEGIN
    UPDATE ledger_unread SET shown = shown - 1 WHERE account = OLD.account;
END;
CREATE TRIGGER ledger_unread_update AFTER UPDATE OF state, account ON ledger_shown
WHEN OLD.state = 1 OR NEW.state = 1 BEGIN
    UPDATE ledger_unread SET shown = shown - 1
        WHERE OLD.state = 1 AND account = OLD.account;
    INSERT INTO ledger_unread(account, shown) SELECT NEW.account, 1 WHERE NEW.state = 1
        ON CONFLICT(account) DO UPDATE SET shown = shown + 1;
END;
