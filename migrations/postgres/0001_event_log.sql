-- The event log: one row per event, per session, numbered 1, 2, 3, … without gaps.
-- Events are the truth of a session; they are never changed or removed.
--
-- Ids are `uuid`, not text: every id the server makes is a UUID, so the database refuses
-- anything else and the keys take 16 bytes instead of 36.
-- `at` is `timestamptz`, so the database knows it is a time. It holds microseconds; the server
-- stamps milliseconds and refuses to store anything finer, so a time reads back exactly.
-- `body` is `json`, not `jsonb`: `json` keeps the text exactly as written and accepts every
-- string serde_json writes, where `jsonb` would rewrite it and refuse "\u0000".
CREATE TABLE events (
    session_id     uuid        NOT NULL,
    seq            bigint      NOT NULL CHECK (seq > 0),
    at             timestamptz NOT NULL,
    by_participant uuid,
    kind           text        NOT NULL,
    body           json        NOT NULL,
    PRIMARY KEY (session_id, seq)
);

CREATE FUNCTION events_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();

-- TRUNCATE fires no row triggers: without this one it would empty the log in one statement.
CREATE TRIGGER events_are_never_truncated BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();

-- Commands that were applied, by the id their sender gave them, so that a retry is answered
-- with the first outcome instead of being applied twice.
CREATE TABLE commands (
    session_id     uuid   NOT NULL,
    participant_id uuid   NOT NULL,
    command_id     text   NOT NULL,
    first_seq      bigint NOT NULL,
    last_seq       bigint NOT NULL,
    PRIMARY KEY (session_id, participant_id, command_id)
);

-- Secret tokens, as SHA-256 hashes only: a copy of the database does not let anyone in.
CREATE TABLE tokens (
    token_hash     bytea       NOT NULL PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    session_id     uuid        NOT NULL,
    participant_id uuid        NOT NULL,
    created_at     timestamptz NOT NULL,
    revoked_at     timestamptz
);

-- Removing a person revokes their tokens by session and participant; without this index each
-- removal would read every token of every session.
CREATE INDEX tokens_by_participant ON tokens (session_id, participant_id);
