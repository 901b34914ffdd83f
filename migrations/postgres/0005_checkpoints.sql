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

-- A load from a checkpoint reads the commands of the events after it: by their last event,
-- not by a scan of every command the session ever had.
CREATE INDEX commands_by_last_seq ON commands (session_id, last_seq);
