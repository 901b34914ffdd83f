-- The facilitator link: a secret that lets another facilitator join a session, stored as a
-- SHA-256 hash only.
CREATE TABLE facilitator_invites (
    key_hash   BLOB NOT NULL PRIMARY KEY,
    session_id TEXT NOT NULL
);
