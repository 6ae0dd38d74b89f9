-- Client accounts share their snapshot's bodies until the client edits them (copy-on-write).
--
-- A provisioned account used to get a copy of every body of its snapshot: for a large sandbox
-- 6.2 MiB of its 9.3 MiB, byte for byte what snapshot_blobs already holds (immutable, per agency).
-- Now an asset can point at that blob instead:
--   * shared_blob names the snapshot blob whose body the asset has, and body is JSON null;
--   * shared_inert says which form of it: the inert one (automation inactive, campaign a draft)
--     when provisioning made the asset inert, else the body as the sandbox had it;
--   * the first write to the asset gives it a body of its own and clears shared_blob.
-- A blob that an asset shares is never deleted with its snapshots (the foreign key refuses it).
ALTER TABLE assets ADD COLUMN shared_blob INTEGER REFERENCES snapshot_blobs(id);
ALTER TABLE assets ADD COLUMN shared_inert INTEGER NOT NULL DEFAULT 0 CHECK (shared_inert IN (0, 1));
CREATE INDEX assets_by_shared_blob ON assets(shared_blob) WHERE shared_blob IS NOT NULL;

-- A shared asset has no body of its own, and an unshared one always has one.
CREATE TRIGGER assets_share_or_own_on_insert
BEFORE INSERT ON assets
WHEN (NEW.shared_blob IS NOT NULL) <> (NEW.body = 'null')
BEGIN
    SELECT RAISE(ABORT, 'asset_body_shared_and_owned');
END;

CREATE TRIGGER assets_share_or_own_on_update
BEFORE UPDATE OF body, shared_blob ON assets
WHEN (NEW.shared_blob IS NOT NULL) <> (NEW.body = 'null')
BEGIN
    SELECT RAISE(ABORT, 'asset_body_shared_and_owned');
END;

-- Existing accounts: every asset whose body is still exactly the one its snapshot gave it shares
-- that snapshot's blob from now on. Assets the client edited, or whose snapshot is gone, keep theirs.
CREATE TEMP TABLE unedited_assets AS
SELECT a.account_id, a.kind, a.id, b.id AS blob_id, (a.body <> b.body) AS inert
FROM assets a
JOIN account_sources s ON s.account_id = a.account_id
JOIN snapshots n ON n.id = s.snapshot_id
JOIN snapshot_versions v ON v.lineage_id = n.lineage_id AND v.kind = a.kind AND v.id = a.id
    AND v.since = (SELECT max(w.since) FROM snapshot_versions w
                   WHERE w.lineage_id = n.lineage_id AND w.kind = a.kind AND w.id = a.id AND w.since <= n.id)
JOIN snapshot_blobs b ON b.id = v.blob_id
WHERE a.body = b.body OR a.body = b.inert_body;

UPDATE assets AS a
SET shared_blob = u.blob_id, shared_inert = u.inert, body = 'null'
FROM unedited_assets u
WHERE u.account_id = a.account_id AND u.kind = a.kind AND u.id = a.id;

DROP TABLE unedited_assets;
