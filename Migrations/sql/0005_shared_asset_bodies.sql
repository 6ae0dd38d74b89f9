-- Client accounts share their snapshot's bodies until the client edits them (copy-on-write).
--
-- A provisioned account used to get a copy of every body of its snapshot: for a large sandbox
-- 6.2 MiB of its 9.3 MiB, byte for byte what snapshot_blobs already holds (immutable, per agency).
-- Now an asset can point at that blob instead:
--   * shared_blob names the snapshot blob whose body the asset has, and body is JSON null;
--   * shared_inert says which form of it: the inert one (automation inactive, campaign a draft)
--     when provisioning made the asset inert, else the body as the sandbox had it;
--   * the first write to the asset gives it a body of its own and clears shared_blob.
--
-- How many assets share each blob is counted in snapshot_blob_shares, kept by the triggers below, so
-- that a blob still shared is never deleted (with its snapshots or otherwise). A count rather than an
-- index on assets(shared_blob): such an index grows with every account and each provision writes
-- ~2,300 entries scattered across all of it (measured: provisions 3.4× slower after 1,000 accounts);
-- the counts stay one row per blob.
ALTER TABLE assets ADD COLUMN shared_blob INTEGER;
ALTER TABLE assets ADD COLUMN shared_inert INTEGER NOT NULL DEFAULT 0 CHECK (shared_inert IN (0, 1));

CREATE TABLE snapshot_blob_shares (
    blob_id  INTEGER PRIMARY KEY,   -- a snapshot_blobs id; its row goes with the blob (trigger below)
    assets   INTEGER NOT NULL CHECK (assets >= 0)
);

CREATE TRIGGER assets_count_shares_on_insert
AFTER INSERT ON assets
WHEN NEW.shared_blob IS NOT NULL
BEGIN
    INSERT INTO snapshot_blob_shares (blob_id, assets) VALUES (NEW.shared_blob, 1)
    ON CONFLICT (blob_id) DO UPDATE SET assets = assets + 1;
END;

CREATE TRIGGER assets_count_shares_on_delete
AFTER DELETE ON assets
WHEN OLD.shared_blob IS NOT NULL
BEGIN
    UPDATE snapshot_blob_shares SET assets = assets - 1 WHERE blob_id = OLD.shared_blob;
END;

CREATE TRIGGER assets_count_shares_on_update
AFTER UPDATE OF shared_blob ON assets
WHEN OLD.shared_blob IS NOT NEW.shared_blob
BEGIN
    UPDATE snapshot_blob_shares SET assets = assets - 1 WHERE blob_id = OLD.shared_blob;
    INSERT INTO snapshot_blob_shares (blob_id, assets) SELECT NEW.shared_blob, 1 WHERE NEW.shared_blob IS NOT NULL
    ON CONFLICT (blob_id) DO UPDATE SET assets = assets + 1;
END;

CREATE TRIGGER snapshot_blobs_stay_while_shared
BEFORE DELETE ON snapshot_blobs
WHEN EXISTS (SELECT 1 FROM snapshot_blob_shares WHERE blob_id = OLD.id AND assets > 0)
BEGIN
    SELECT RAISE(ABORT, 'snapshot_immutable');
END;

CREATE TRIGGER snapshot_blob_shares_go_with_their_blob
AFTER DELETE ON snapshot_blobs
BEGIN
    DELETE FROM snapshot_blob_shares WHERE blob_id = OLD.id;
END;

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
