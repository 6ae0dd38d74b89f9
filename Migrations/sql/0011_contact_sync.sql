-- Contact sync: connections of an account to an external email tool (Brevo, or any tool through
-- signed webhooks), an outbox filled by triggers in the transaction of every contact change, the
-- per-contact state of the sync, full-sync summaries, replay protection for inbound events and the
-- API calls spent per day.

-- Ids are global (not per account): the inbound URL /hooks/connections/{id} names a connection alone.
CREATE TABLE sync_connections (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    provider            TEXT NOT NULL CHECK (provider IN ('brevo', 'webhook')),
    direction           TEXT NOT NULL CHECK (direction IN ('outbound', 'two_way')),
    endpoint            TEXT NOT NULL,                 -- Brevo's base URL, or the webhook's URL
    credentials         BLOB,                          -- AES-GCM under the service key; NULL until given
    inbound_secret      BLOB,                          -- AES-GCM under the service key; two_way only
    fields              TEXT NOT NULL CHECK (json_valid(fields)),   -- [{"field": "first_name", "attribute": "FIRSTNAME"}, …]
    interval_minutes    INTEGER NOT NULL CHECK (interval_minutes >= 0),
    daily_budget        INTEGER NOT NULL CHECK (daily_budget > 0),
    enabled             INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    paused_until        TEXT,                          -- a 429, an outage or a spent budget
    failures_in_row     INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    last_full_sync_at   TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    -- An enabled connection has credentials: a provisioned copy waits, disabled, until it gets them.
    CHECK (enabled = 0 OR credentials IS NOT NULL)
);
CREATE INDEX sync_connections_by_account ON sync_connections(account_id, enabled);

-- One account list : one remote list, both ways, within a connection.
CREATE TABLE sync_list_mappings (
    connection_id  INTEGER NOT NULL REFERENCES sync_connections(id) ON DELETE CASCADE,
    account_id     INTEGER NOT NULL,
    list_kind      TEXT NOT NULL DEFAULT 'list' CHECK (list_kind = 'list'),
    list_id        INTEGER NOT NULL,
    remote_list    TEXT NOT NULL,
    PRIMARY KEY (connection_id, list_id),
    UNIQUE (connection_id, remote_list),
    FOREIGN KEY (account_id, list_kind, list_id) REFERENCES assets(account_id, kind, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX sync_list_mappings_by_list ON sync_list_mappings(account_id, list_id);

-- That a contact changed, for one connection. What is sent is read when it is sent, so rows of one
-- contact are delivered together and removed only once the remote has answered: a crash in the
-- middle of a delivery leaves them here, and the next start sends them again. AUTOINCREMENT, because
-- a row's id is the event id a webhook receiver deduplicates by and must never come back.
CREATE TABLE sync_outbox (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id  INTEGER NOT NULL REFERENCES sync_connections(id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX sync_outbox_by_contact ON sync_outbox(connection_id, contact_id, id);

-- The sync of one contact over one connection. remote_email is the address the remote knows the
-- contact by (an update to the address goes to the old one); after an erasure has been delivered it
-- is the placeholder, so the address is kept only until the remote has been told.
CREATE TABLE sync_contact_states (
    connection_id  INTEGER NOT NULL REFERENCES sync_connections(id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL,
    remote_email   TEXT,
    synced_digest  BLOB,                  -- of the last state the remote acknowledged
    status         TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    message        TEXT,                  -- the remote's own message, when failed
    attempts       INTEGER NOT NULL DEFAULT 0,   -- 5xx answers in a row
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (connection_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX sync_contact_states_by_status ON sync_contact_states(connection_id, status, contact_id);

-- A full reconciliation ("sync now", or the connection's interval) and what it did.
CREATE TABLE sync_runs (
    id             INTEGER PRIMARY KEY,
    connection_id  INTEGER NOT NULL REFERENCES sync_connections(id) ON DELETE CASCADE,
    trigger        TEXT NOT NULL CHECK (trigger IN ('manual', 'interval')),
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    contacts       INTEGER NOT NULL DEFAULT 0,
    sent           INTEGER NOT NULL DEFAULT 0,   -- new to the remote
    updated        INTEGER NOT NULL DEFAULT 0,
    unchanged      INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    deferred       INTEGER NOT NULL DEFAULT 0,   -- left for later: budget spent or remote unreachable
    calls          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_runs_by_connection ON sync_runs(connection_id, id);

-- Calls are counted before they are made, so a crash after a call never lets the budget be passed.
CREATE TABLE sync_usage (
    connection_id  INTEGER NOT NULL REFERENCES sync_connections(id) ON DELETE CASCADE,
    day            TEXT NOT NULL,         -- UTC, e.g. 2026-12-03
    calls          INTEGER NOT NULL,
    PRIMARY KEY (connection_id, day)
) WITHOUT ROWID;

-- Inbound events already applied: a replay changes nothing.
CREATE TABLE sync_inbound_events (
    connection_id  INTEGER NOT NULL REFERENCES sync_connections(id) ON DELETE CASCADE,
    event_key      TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    PRIMARY KEY (connection_id, event_key)
) WITHOUT ROWID;

-- The triggers below queue a change for every enabled connection that maps a list the contact is
-- on. Each first asks whether the account has an enabled connection at all: a write to an account
-- without one pays one index probe.

CREATE TRIGGER sync_hears_new_memberships
AFTER INSERT ON contact_lists
WHEN EXISTS (SELECT 1 FROM sync_connections WHERE account_id = NEW.account_id AND enabled = 1)
BEGIN
    INSERT INTO sync_outbox (connection_id, contact_id, created_at)
    SELECT m.connection_id, NEW.contact_id, NEW.updated_at
    FROM sync_list_mappings m JOIN sync_connections c ON c.id = m.connection_id AND c.enabled = 1
    WHERE m.account_id = NEW.account_id AND m.list_id = NEW.list_id;
END;

CREATE TRIGGER sync_hears_status_changes
AFTER UPDATE OF status ON contact_lists
WHEN NEW.status <> OLD.status AND EXISTS (SELECT 1 FROM sync_connections WHERE account_id = NEW.account_id AND enabled = 1)
BEGIN
    INSERT INTO sync_outbox (connection_id, contact_id, created_at)
    SELECT m.connection_id, NEW.contact_id, NEW.updated_at
    FROM sync_list_mappings m JOIN sync_connections c ON c.id = m.connection_id AND c.enabled = 1
    WHERE m.account_id = NEW.account_id AND m.list_id = NEW.list_id;
END;

CREATE TRIGGER sync_hears_memberships_removed
AFTER DELETE ON contact_lists
WHEN EXISTS (SELECT 1 FROM sync_connections WHERE account_id = OLD.account_id AND enabled = 1)
BEGIN
    INSERT INTO sync_outbox (connection_id, contact_id, created_at)
    SELECT m.connection_id, OLD.contact_id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM sync_list_mappings m JOIN sync_connections c ON c.id = m.connection_id AND c.enabled = 1
    WHERE m.account_id = OLD.account_id AND m.list_id = OLD.list_id;
END;

-- Names, phone, address and erasure.
CREATE TRIGGER sync_hears_contact_updates
AFTER UPDATE ON contacts
WHEN EXISTS (SELECT 1 FROM sync_connections WHERE account_id = NEW.account_id AND enabled = 1)
BEGIN
    INSERT INTO sync_outbox (connection_id, contact_id, created_at)
    SELECT DISTINCT m.connection_id, NEW.id, NEW.updated_at
    FROM sync_list_mappings m
    JOIN sync_connections c ON c.id = m.connection_id AND c.enabled = 1
    JOIN contact_lists l ON l.account_id = m.account_id AND l.contact_id = NEW.id AND l.list_id = m.list_id
    WHERE m.account_id = NEW.account_id;
END;

-- A deleted contact is erased remotely, as PEIQ's sync does. Before the delete: its memberships,
-- which the delete cascades away, still say which connections know it.
CREATE TRIGGER sync_hears_contact_deletions
BEFORE DELETE ON contacts
WHEN EXISTS (SELECT 1 FROM sync_connections WHERE account_id = OLD.account_id AND enabled = 1)
BEGIN
    INSERT INTO sync_outbox (connection_id, contact_id, created_at)
    SELECT c.id, OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM sync_connections c
    WHERE c.account_id = OLD.account_id AND c.enabled = 1
      AND EXISTS (SELECT 1 FROM sync_contact_states s WHERE s.connection_id = c.id AND s.contact_id = OLD.id);
END;

CREATE TRIGGER sync_hears_new_field_values
AFTER INSERT ON field_values
WHEN EXISTS (SELECT 1 FROM sync_connections WHERE account_id = NEW.account_id AND enabled = 1)
BEGIN
    INSERT INTO sync_outbox (connection_id, contact_id, created_at)
    SELECT DISTINCT m.connection_id, NEW.contact_id, NEW.updated_at
    FROM sync_list_mappings m
    JOIN sync_connections c ON c.id = m.connection_id AND c.enabled = 1
    JOIN contact_lists l ON l.account_id = m.account_id AND l.contact_id = NEW.contact_id AND l.list_id = m.list_id
    WHERE m.account_id = NEW.account_id;
END;

CREATE TRIGGER sync_hears_field_value_changes
AFTER UPDATE OF value ON field_values
WHEN NEW.value <> OLD.value AND EXISTS (SELECT 1 FROM sync_connections WHERE account_id = NEW.account_id AND enabled = 1)
BEGIN
    INSERT INTO sync_outbox (connection_id, contact_id, created_at)
    SELECT DISTINCT m.connection_id, NEW.contact_id, NEW.updated_at
    FROM sync_list_mappings m
    JOIN sync_connections c ON c.id = m.connection_id AND c.enabled = 1
    JOIN contact_lists l ON l.account_id = m.account_id AND l.contact_id = NEW.contact_id AND l.list_id = m.list_id
    WHERE m.account_id = NEW.account_id;
END;

-- A sandbox's connections as a snapshot keeps them: the mapping and settings, never credentials or
-- secrets. An account made from the snapshot gets each one disabled, until credentials are set.
-- Immutable like the rest of a snapshot; it goes only with its snapshot.
CREATE TABLE snapshot_connections (
    snapshot_id       INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    name              TEXT NOT NULL,
    provider          TEXT NOT NULL,
    direction         TEXT NOT NULL,
    endpoint          TEXT NOT NULL,
    lists             TEXT NOT NULL CHECK (json_valid(lists)),    -- [{"listID": 2, "remoteList": "17"}, …]
    fields            TEXT NOT NULL CHECK (json_valid(fields)),
    interval_minutes  INTEGER NOT NULL,
    daily_budget      INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, position)
) WITHOUT ROWID;

CREATE TRIGGER snapshot_connections_are_immutable
BEFORE UPDATE ON snapshot_connections
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

CREATE TRIGGER snapshot_connections_stay_with_their_snapshot
BEFORE DELETE ON snapshot_connections
WHEN EXISTS (SELECT 1 FROM snapshots WHERE id = OLD.snapshot_id)
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;
