-- Tokens and dashboard sessions with a life cycle (issue 27).
--
-- An agency token rotated out with a grace period keeps working until expires_at; NULL means it
-- has no end. Rotating without a grace period deletes the old token outright.
ALTER TABLE agency_tokens ADD COLUMN expires_at TEXT;

-- When a per-account token last opened the API, recorded at most about once a minute per token
-- (when the token cache loads it), never on every request. NULL: not used since this column came.
ALTER TABLE account_tokens ADD COLUMN last_used_at TEXT;

-- A dashboard session also ends after an idle time (a setting of `agency serve`): last_seen_at is
-- moved forward at most about once a minute while the browser keeps using it. expires_at stays the
-- absolute end (8 hours from sign-in).
ALTER TABLE dashboard_sessions ADD COLUMN last_seen_at TEXT;
UPDATE dashboard_sessions SET last_seen_at = created_at;
