-- The folded state of a session at one sequence number, so that loading a session reads it and
-- the events after it instead of the whole log. A cache of the log's fold, written with an
-- append: it may be missing or of another format version, and is then ignored.
CREATE TABLE checkpoints (
    session_id TEXT    NOT NULL PRIMARY KEY,
    seq        INTEGER NOT NULL CHECK (seq > 0),
    version    INTEGER NOT NULL,
    state      TEXT    NOT NULL
);
