-- A co-facilitator key can be replaced or withdrawn: the old one then stops working.
ALTER TABLE facilitator_invites ADD COLUMN revoked_at TEXT;
CREATE INDEX facilitator_invites_by_session ON facilitator_invites (session_id);

-- Reissuing a link or removing a person revokes their tokens by session and participant.
CREATE INDEX tokens_by_participant ON tokens (session_id, participant_id);

-- Sessions deleted with all their personal data: only the id and the time stay, so that a
-- node that still had the session in memory learns why it is gone.
CREATE TABLE deleted_sessions (
    session_id TEXT NOT NULL PRIMARY KEY,
    deleted_at TEXT NOT NULL
) WITHOUT ROWID;

-- Events are never changed or removed, with one exception: deleting a whole session, which
-- first records it in deleted_sessions, in the same transaction.
DROP TRIGGER events_are_never_deleted;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM deleted_sessions WHERE session_id = OLD.session_id)
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Closed sessions by when they closed, for purging them after a number of days. Partial, so
-- that it costs nothing on the appends of every other event.
CREATE INDEX events_closing ON events (at) WHERE kind = 'session_closed';
