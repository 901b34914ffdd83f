-- The short codes people type to join a session, one per open session: the primary key keeps
-- them unique among open sessions, and a session's row goes when it closes (or is deleted).
CREATE TABLE join_codes (
    code       text NOT NULL PRIMARY KEY,
    session_id uuid NOT NULL
);
CREATE INDEX join_codes_by_session ON join_codes (session_id);
