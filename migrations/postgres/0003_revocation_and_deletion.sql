-- A co-facilitator key can be replaced or withdrawn: the old one then stops working.
ALTER TABLE facilitator_invites ADD COLUMN revoked_at timestamptz;
CREATE INDEX facilitator_invites_by_session ON facilitator_invites (session_id);

-- Sessions deleted with all their personal data: only the id and the time stay, so that a
-- node that still had the session in memory learns why it is gone.
CREATE TABLE deleted_sessions (
    session_id uuid        NOT NULL PRIMARY KEY,
    deleted_at timestamptz NOT NULL
);

-- Events are never changed or removed, with one exception: deleting a whole session, which
-- first records it in deleted_sessions, in the same transaction.
CREATE FUNCTION events_go_only_with_their_session() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM deleted_sessions WHERE session_id = OLD.session_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;

DROP TRIGGER events_are_never_deleted ON events;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_go_only_with_their_session();

-- Closed sessions by when they closed, for purging them after a number of days. Partial, so
-- that it costs nothing on the appends of every other event.
CREATE INDEX events_closing ON events (at) WHERE kind = 'session_closed';
