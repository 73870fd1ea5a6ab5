-- Schema 5: conversations in the ledger (issue 17). Each shown message
-- keeps its sender's display name and its line of text (bounded and
-- cleaned before they are written), the shown messages are counted per
-- conversation by triggers (the group summary is one lookup), and the
-- user's mutes and quiet hours live here so every process applies them.
-- Its number may change at a merge until it ships; once shipped, never
-- edit: add a new step.
ALTER TABLE ledger_shown ADD COLUMN sender_name TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_shown ADD COLUMN line_text TEXT NOT NULL DEFAULT '';
CREATE TABLE ledger_conversation_unread (
    account      TEXT    NOT NULL,
    conversation TEXT    NOT NULL,
    shown        INTEGER NOT NULL,
    PRIMARY KEY (account, conversation)
) WITHOUT ROWID;
INSERT INTO ledger_conversation_unread(account, conversation, shown)
    SELECT account, conversation, count(*) FROM ledger_shown
    WHERE state = 1 AND conversation != '' GROUP BY account, conversation;
CREATE TRIGGER ledger_conversation_insert AFTER INSERT ON ledger_shown
WHEN NEW.state = 1 AND NEW.conversation != '' BEGIN
    INSERT INTO ledger_conversation_unread(account, conversation, shown)
        VALUES (NEW.account, NEW.conversation, 1)
        ON CONFLICT(account, conversation) DO UPDATE SET shown = shown + 1;
END;
CREATE TRIGGER ledger_conversation_delete AFTER DELETE ON ledger_shown
WHEN OLD.state = 1 AND OLD.conversation != '' BEGIN
    UPDATE ledger_conversation_unread SET shown = shown - 1
        WHERE account = OLD.account AND conversation = OLD.conversation;
    DELETE FROM ledger_conversation_unread
        WHERE account = OLD.account AND conversation = OLD.conversation AND shown <= 0;
END;
CREATE TRIGGER ledger_conversation_update
AFTER UPDATE OF state, account, conversation ON ledger_shown
WHEN (OLD.state = 1 AND OLD.conversation != '') OR (NEW.state = 1 AND NEW.conversation != '')
BEGIN
    UPDATE ledger_conversation_unread SET shown = shown - 1
        WHERE OLD.state = 1 AND OLD.conversation != ''
          AND account = OLD.account AND conversation = OLD.conversation;
    DELETE FROM ledger_conversation_unread
        WHERE account = OLD.account AND conversation = OLD.conversation AND shown <= 0;
    INSERT INTO ledger_conversation_unread(account, conversation, shown)
        SELECT NEW.account, NEW.conversation, 1 WHERE NEW.state = 1 AND NEW.conversation != ''
        ON CONFLICT(account, conversation) DO UPDATE SET shown = shown + 1;
END;
CREATE TABLE ledger_muted (
    conversation TEXT PRIMARY KEY,
    -- NULL: until unmuted.
    until_ms     INTEGER
) WITHOUT ROWID;
CREATE TABLE ledger_quiet_hours (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    start_minute  INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute    INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1439),
    timezone      TEXT    NOT NULL,
    -- 1: show silently, 2: suppress.
    policy        INTEGER NOT NULL CHECK (policy IN (1, 2)),
    silence_calls INTEGER NOT NULL CHECK (silence_calls IN (0, 1))
);
