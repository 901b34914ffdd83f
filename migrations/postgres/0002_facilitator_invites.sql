-- The facilitator link: a secret that lets another facilitator join a session, stored as a
-- SHA-256 hash only.
CREATE TABLE facilitator_invites (
    key_hash   bytea NOT NULL PRIMARY KEY CHECK (octet_length(key_hash) = 32),
    session_id uuid  NOT NULL
);
