-- Snapshots, and the accounts provisioned from them.
--
-- Storage is content-addressed and versioned, so that many snapshots of a slowly changing sandbox
-- cost little more than one:
--   * snapshot_blobs holds each distinct asset body once per agency (images already stripped);
--   * snapshot_versions is append-only: a row says "from snapshot `since` on, asset (kind, id) of
--     this sandbox is blob B" (or, with no blob, "is gone"). Snapshot S holds, for every asset,
--     the newest version with since <= S. A snapshot that changes 1% of the assets writes 1% rows.
-- Nothing here is ever updated; rows are deleted only when no remaining snapshot can see them.
-- The triggers below enforce that for every writer, raw SQL included.

-- A sandbox's line of snapshots. Versions are shared along it. The account link is cleared when
-- the sandbox is deleted, so a later account that reuses its id starts a line of its own.
CREATE TABLE snapshot_lineages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    account_id  INTEGER UNIQUE
);

CREATE TRIGGER accounts_leave_their_snapshot_lineage
AFTER DELETE ON accounts
BEGIN
    UPDATE snapshot_lineages SET account_id = NULL WHERE account_id = OLD.id;
END;

-- AUTOINCREMENT: snapshot ids only grow and are never reused, which the versions rely on.
-- source_account_id is not a foreign key: a snapshot outlives its sandbox.
CREATE TABLE snapshots (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id          INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    lineage_id         INTEGER NOT NULL REFERENCES snapshot_lineages(id),
    source_account_id  INTEGER NOT NULL,
    name               TEXT NOT NULL CHECK (length(trim(name)) > 0),
    includes           TEXT NOT NULL CHECK (json_valid(includes)),   -- ["contacts", "deals"] or fewer
    contents           TEXT NOT NULL CHECK (json_valid(contents)),   -- {"tags": 4, ...}
    -- The images left out. The list itself is read from the bodies' own lists (snapshot_blobs.omitted),
    -- so that it is not stored again with every snapshot.
    omitted_count      INTEGER NOT NULL,
    digest             TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX snapshots_by_agency ON snapshots(agency_id, id);
CREATE INDEX snapshots_by_lineage ON snapshots(lineage_id, id);

CREATE TRIGGER snapshots_are_immutable
BEFORE UPDATE ON snapshots
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

-- One asset body as a snapshot keeps it. source_hash identifies the sandbox body it was made from
-- (so an unchanged asset is found again without stripping it anew); hash is SHA-256 over the kind,
-- a NUL byte and the stored body, and is what digests are made of. inert_body is the body as a
-- client account gets it by default (automation inactive, campaign a draft) when that differs.
CREATE TABLE snapshot_blobs (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    source_hash  BLOB NOT NULL,
    hash         BLOB NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    unique_key   TEXT,
    body         TEXT NOT NULL CHECK (json_valid(body)),
    inert_body   TEXT CHECK (inert_body IS NULL OR json_valid(inert_body)),
    omitted      TEXT NOT NULL CHECK (json_valid(omitted)),   -- [{location, source}] stripped from this body
    UNIQUE (agency_id, source_hash)
);

-- The references a blob's body holds, so provisioning copies the reference index as a set too.
CREATE TABLE snapshot_blob_references (
    blob_id  INTEGER NOT NULL REFERENCES snapshot_blobs(id) ON DELETE CASCADE,
    pointer  TEXT NOT NULL,
    to_kind  TEXT NOT NULL,
    to_id    INTEGER NOT NULL,
    PRIMARY KEY (blob_id, pointer)
) WITHOUT ROWID;

CREATE TABLE snapshot_versions (
    lineage_id  INTEGER NOT NULL REFERENCES snapshot_lineages(id),
    kind        TEXT NOT NULL,
    id          INTEGER NOT NULL,
    since       INTEGER NOT NULL,                          -- the first snapshot holding this version
    blob_id     INTEGER REFERENCES snapshot_blobs(id),      -- NULL: the asset is gone from `since` on
    PRIMARY KEY (lineage_id, kind, id, since)
) WITHOUT ROWID;
CREATE INDEX snapshot_versions_by_blob ON snapshot_versions(blob_id) WHERE blob_id IS NOT NULL;

-- Contacts and deals with their links, when a snapshot includes them: small (a sandbox holds at
-- most 100 contacts), so kept per snapshot. body is the row as JSON, without its timestamps.
CREATE TABLE snapshot_records (
    snapshot_id  INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,   -- contacts, contactTags, contactLists, fieldValues, deals
    id           INTEGER NOT NULL,
    body         TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (snapshot_id, kind, id)
) WITHOUT ROWID;

-- Immutability. Contents never change; they go only when no remaining snapshot holds them.
CREATE TRIGGER snapshot_blobs_are_immutable
BEFORE UPDATE ON snapshot_blobs
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

CREATE TRIGGER snapshot_blobs_stay_while_used
BEFORE DELETE ON snapshot_blobs
WHEN EXISTS (SELECT 1 FROM snapshot_versions WHERE blob_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

CREATE TRIGGER snapshot_blob_references_are_immutable
BEFORE UPDATE ON snapshot_blob_references
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

CREATE TRIGGER snapshot_blob_references_stay_with_their_blob
BEFORE DELETE ON snapshot_blob_references
WHEN EXISTS (SELECT 1 FROM snapshot_blobs WHERE id = OLD.blob_id)
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

CREATE TRIGGER snapshot_versions_are_immutable
BEFORE UPDATE ON snapshot_versions
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

-- A version is seen by the snapshots from `since` up to (not including) the asset's next version.
CREATE TRIGGER snapshot_versions_stay_while_seen
BEFORE DELETE ON snapshot_versions
WHEN EXISTS (
    SELECT 1 FROM snapshots s
    WHERE s.lineage_id = OLD.lineage_id AND s.id >= OLD.since
      AND s.id < coalesce((SELECT min(w.since) FROM snapshot_versions w
                           WHERE w.lineage_id = OLD.lineage_id AND w.kind = OLD.kind
                             AND w.id = OLD.id AND w.since > OLD.since), 9223372036854775807))
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

CREATE TRIGGER snapshot_records_are_immutable
BEFORE UPDATE ON snapshot_records
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

CREATE TRIGGER snapshot_records_stay_with_their_snapshot
BEFORE DELETE ON snapshot_records
WHEN EXISTS (SELECT 1 FROM snapshots WHERE id = OLD.snapshot_id)
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

-- Where a provisioned account came from. Kept when the snapshot is deleted: no foreign key to it.
CREATE TABLE account_sources (
    account_id            INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    snapshot_id           INTEGER NOT NULL,
    snapshot_name         TEXT NOT NULL,
    digest                TEXT NOT NULL,
    activate_automations  INTEGER NOT NULL CHECK (activate_automations IN (0, 1)),
    activate_campaigns    INTEGER NOT NULL CHECK (activate_campaigns IN (0, 1)),
    created_at            TEXT NOT NULL
);
CREATE INDEX account_sources_by_snapshot ON account_sources(snapshot_id);

-- Idempotent provisioning. The first reply holds a password, so it is kept only encrypted, under a
-- key derived from the agency token and the idempotency key of the request: neither is stored.
CREATE TABLE idempotency_keys (
    agency_id       INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    request_digest  BLOB NOT NULL,
    account_id      INTEGER NOT NULL,
    sealed_reply    BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (agency_id, key)
);
