-- The folded state of a session at one sequence number, so that loading a session reads it and
-- the events after it instead of the whole log. A cache of the log's fold, written with an
-- append: it may be missing or of another format version, and is then ignored. Text, not
-- jsonb: the server reads it back whole and never queries inside it.
CREATE TABLE checkpoints (
    session_id UUID    NOT NULL PRIMARY KEY,
    seq        BIGINT  NOT NULL CHECK (seq > 0),
    version    BIGINT  NOT NULL,
    state      TEXT    NOT NULL
);
