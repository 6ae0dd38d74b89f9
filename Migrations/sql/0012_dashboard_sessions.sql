-- Sessions of the browser dashboard: an agency's account manager signed in with the agency token
-- ('agency'), or a client signed in at the login URL with its username and password ('client').
-- Only the SHA-256 digest of the session id (the cookie's value) is kept, as for API tokens, so a
-- copy of the database opens no session. A session ends at expires_at or at sign-out, and goes with
-- its agency or account.
CREATE TABLE dashboard_sessions (
    id          INTEGER PRIMARY KEY,
    digest      BLOB NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('agency', 'client')),
    agency_id   INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    account_id  INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    CHECK ((kind = 'client') = (account_id IS NOT NULL))
);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions(expires_at);
CREATE INDEX dashboard_sessions_by_agency ON dashboard_sessions(agency_id);
CREATE INDEX dashboard_sessions_by_account ON dashboard_sessions(account_id);
