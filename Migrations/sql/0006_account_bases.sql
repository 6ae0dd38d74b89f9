-- Updates: a client account remembers its base (the snapshot it was made from or last updated to),
-- asset by asset, so that a newer snapshot can be merged in without losing what the client changed.
--
--   * assets.base_blob names the snapshot blob the asset had at its base; NULL for an asset the
--     client made itself. It stays when the client edits the asset, which is how drift and a
--     three-way merge find the base. A shared asset (shared_blob) shares exactly its base.
--   * assets.shared_inert now also says which form of the base the account got (the inert one or
--     the sandbox's), after an edit as before it.
--   * assets.origin_id is the asset's id in the sandbox when it differs from its id in the account:
--     an asset that arrives with an update takes the next free id of the account, so that it never
--     collides with one the client made. NULL means the same id (everything provisioning made).
--   * asset_tombstones remember the base of an asset the client deleted, so that drift lists it and
--     an update does not bring it back unasked.
--   * account_updates is the account's history of updates: from which snapshot to which, when, counts.
ALTER TABLE assets ADD COLUMN base_blob INTEGER;
ALTER TABLE assets ADD COLUMN origin_id INTEGER;
-- Partial: only assets that arrived at another id than the sandbox's are in it.
CREATE UNIQUE INDEX assets_by_origin ON assets(account_id, kind, origin_id) WHERE origin_id IS NOT NULL;

CREATE TABLE asset_tombstones (
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    origin_id     INTEGER NOT NULL,   -- the asset's id in the sandbox
    base_blob     INTEGER NOT NULL,
    base_inert    INTEGER NOT NULL CHECK (base_inert IN (0, 1)),
    deleted_at    TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, origin_id)
) WITHOUT ROWID;

-- The base snapshot's line, kept with the account so an update can be checked after its base
-- snapshot was deleted.
ALTER TABLE account_sources ADD COLUMN lineage_id INTEGER;
UPDATE account_sources SET lineage_id = (SELECT n.lineage_id FROM snapshots n WHERE n.id = account_sources.snapshot_id);

CREATE TABLE account_updates (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    from_snapshot_id  INTEGER NOT NULL,
    to_snapshot_id    INTEGER NOT NULL,
    from_digest       TEXT NOT NULL,
    to_digest         TEXT NOT NULL,
    policy            TEXT NOT NULL,
    counts            TEXT NOT NULL CHECK (json_valid(counts)),   -- {"applied": 3, "kept": 1, ...}
    created_at        TEXT NOT NULL
);
CREATE INDEX account_updates_by_account ON account_updates(account_id, id);

-- Idempotent updates: the report of the first request with a key, replayed to its retries.
CREATE TABLE update_idempotency_keys (
    agency_id       INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    request_digest  BLOB NOT NULL,
    reply           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (agency_id, key)
);

-- Which changes a snapshot brought, found without reading the whole line of versions.
CREATE INDEX snapshot_versions_by_since ON snapshot_versions(lineage_id, since);

-- Bases of existing accounts: a shared asset's base is the blob it shares; an edited one's is the
-- blob its snapshot holds for it, while that snapshot exists (else the asset counts as the client's).
UPDATE assets SET base_blob = shared_blob WHERE shared_blob IS NOT NULL;

CREATE TEMP TABLE edited_bases AS
SELECT a.account_id, a.kind, a.id, v.blob_id,
       ((a.kind = 'automation' AND NOT s.activate_automations OR a.kind = 'campaign' AND NOT s.activate_campaigns)
        AND b.inert_body IS NOT NULL) AS inert
FROM assets a
JOIN account_sources s ON s.account_id = a.account_id
JOIN snapshots n ON n.id = s.snapshot_id
JOIN snapshot_versions v ON v.lineage_id = n.lineage_id AND v.kind = a.kind AND v.id = a.id
    AND v.since = (SELECT max(w.since) FROM snapshot_versions w
                   WHERE w.lineage_id = n.lineage_id AND w.kind = a.kind AND w.id = a.id AND w.since <= n.id)
JOIN snapshot_blobs b ON b.id = v.blob_id
WHERE a.shared_blob IS NULL;

UPDATE assets AS a SET base_blob = e.blob_id, shared_inert = e.inert
FROM edited_bases e WHERE e.account_id = a.account_id AND e.kind = a.kind AND e.id = a.id;

DROP TABLE edited_bases;

-- A blob stays while an account's asset or tombstone has it as its base (which covers every shared
-- asset): the counts follow base_blob from now on.
DROP TRIGGER assets_count_shares_on_insert;
DROP TRIGGER assets_count_shares_on_delete;
DROP TRIGGER assets_count_shares_on_update;

DELETE FROM snapshot_blob_shares;
INSERT INTO snapshot_blob_shares (blob_id, assets)
SELECT base_blob, count(*) FROM assets WHERE base_blob IS NOT NULL GROUP BY base_blob;

CREATE TRIGGER assets_count_bases_on_insert
AFTER INSERT ON assets
WHEN NEW.base_blob IS NOT NULL
BEGIN
    INSERT INTO snapshot_blob_shares (blob_id, assets) VALUES (NEW.base_blob, 1)
    ON CONFLICT (blob_id) DO UPDATE SET assets = assets + 1;
END;

CREATE TRIGGER assets_count_bases_on_delete
AFTER DELETE ON assets
WHEN OLD.base_blob IS NOT NULL
BEGIN
    UPDATE snapshot_blob_shares SET assets = assets - 1 WHERE blob_id = OLD.base_blob;
END;

CREATE TRIGGER assets_count_bases_on_update
AFTER UPDATE OF base_blob ON assets
WHEN OLD.base_blob IS NOT NEW.base_blob
BEGIN
    UPDATE snapshot_blob_shares SET assets = assets - 1 WHERE blob_id = OLD.base_blob;
    INSERT INTO snapshot_blob_shares (blob_id, assets) SELECT NEW.base_blob, 1 WHERE NEW.base_blob IS NOT NULL
    ON CONFLICT (blob_id) DO UPDATE SET assets = assets + 1;
END;

CREATE TRIGGER asset_tombstones_count_bases_on_insert
AFTER INSERT ON asset_tombstones
BEGIN
    INSERT INTO snapshot_blob_shares (blob_id, assets) VALUES (NEW.base_blob, 1)
    ON CONFLICT (blob_id) DO UPDATE SET assets = assets + 1;
END;

CREATE TRIGGER asset_tombstones_count_bases_on_delete
AFTER DELETE ON asset_tombstones
BEGIN
    UPDATE snapshot_blob_shares SET assets = assets - 1 WHERE blob_id = OLD.base_blob;
END;

CREATE TRIGGER asset_tombstones_count_bases_on_update
AFTER UPDATE OF base_blob ON asset_tombstones
WHEN OLD.base_blob IS NOT NEW.base_blob
BEGIN
    UPDATE snapshot_blob_shares SET assets = assets - 1 WHERE blob_id = OLD.base_blob;
    INSERT INTO snapshot_blob_shares (blob_id, assets) VALUES (NEW.base_blob, 1)
    ON CONFLICT (blob_id) DO UPDATE SET assets = assets + 1;
END;

-- An asset shares only its own base.
CREATE TRIGGER assets_share_their_base_on_insert
BEFORE INSERT ON assets
WHEN NEW.shared_blob IS NOT NULL AND NEW.shared_blob IS NOT NEW.base_blob
BEGIN
    SELECT RAISE(ABORT, 'asset_shares_another_blob');
END;

CREATE TRIGGER assets_share_their_base_on_update
BEFORE UPDATE OF shared_blob, base_blob ON assets
WHEN NEW.shared_blob IS NOT NULL AND NEW.shared_blob IS NOT NEW.base_blob
BEGIN
    SELECT RAISE(ABORT, 'asset_shares_another_blob');
END;
