-- The event log: one row per event, per session, numbered 1, 2, 3, … without gaps.
-- Events are the truth of a session; they are never changed or removed.
CREATE TABLE events (
    session_id     TEXT    NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq > 0),
    at             TEXT    NOT NULL,
    by_participant TEXT,
    kind           TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Commands that were applied, by the id their sender gave them, so that a retry is answered
-- with the first outcome instead of being applied twice.
CREATE TABLE commands (
    session_id     TEXT    NOT NULL,
    participant_id TEXT    NOT NULL,
    command_id     TEXT    NOT NULL,
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    PRIMARY KEY (session_id, participant_id, command_id)
) WITHOUT ROWID;

-- Secret tokens, as SHA-256 hashes only: a copy of the database does not let anyone in.
CREATE TABLE tokens (
    token_hash     BLOB    NOT NULL PRIMARY KEY,
    session_id     TEXT    NOT NULL,
    participant_id TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    revoked_at     TEXT
);
