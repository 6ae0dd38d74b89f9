-- Client accounts share their snapshot's references too, as they share its bodies (0005).
--
-- A provisioned account used to get a copy of every reference row of its snapshot: for a large
-- sandbox 7,362 rows with their two foreign-key checks and their reverse index, most of a
-- provision's time and two thirds of its bytes, each row byte for byte what snapshot_blob_references
-- already holds for the blob the asset shares. Now:
--   * asset_references holds the references of assets with a body of their own, and nothing else;
--   * a shared asset's references are its blob's (a shared body's references are the account's own
--     ids: provisioning keeps ids, and an update shares a blob only when they land unchanged);
--   * account_references, the view below, is every reference of an account, read in one place.
--
-- The blob's rows stay while it is shared (0005's counts and 0003's triggers), so a shared asset's
-- references never vanish. What the foreign keys did for the copied rows, the trigger below does for
-- shared ones: deleting an asset that a shared body refers to writes that reference into
-- asset_references, where the deferred foreign keys judge it at commit as they judge every other
-- reference: the transaction fails unless the referring asset is deleted too (its row cascades away)
-- or the deleted one is written again. So a whole bundle can still be applied in any order.

CREATE VIEW account_references (account_id, from_kind, from_id, pointer, to_kind, to_id) AS
SELECT account_id, from_kind, from_id, pointer, to_kind, to_id FROM asset_references
UNION ALL
SELECT a.account_id, a.kind, a.id, r.pointer, r.to_kind, r.to_id
FROM assets a JOIN snapshot_blob_references r ON r.blob_id = a.shared_blob
WHERE a.shared_blob IS NOT NULL;

-- The shared assets of an account, by kind: what the view's second half and the trigger below walk
-- to find what refers to an asset. Only shared rows are in it, so for a sandbox it is empty and a
-- look-up costs nothing; it is keyed by account first, so a provision appends its entries in one
-- place (an index on shared_blob alone spread them over the whole file: 0005's note).
CREATE INDEX assets_sharing ON assets(account_id, kind, shared_blob) WHERE shared_blob IS NOT NULL;

-- Not while the whole account goes (its row is gone first, and everything goes with it).
CREATE TRIGGER assets_deleted_under_shared_references
BEFORE DELETE ON assets
WHEN EXISTS (SELECT 1 FROM accounts WHERE id = OLD.account_id)
BEGIN
    INSERT OR IGNORE INTO asset_references (account_id, from_kind, from_id, pointer, to_kind, to_id)
    SELECT a.account_id, a.kind, a.id, r.pointer, r.to_kind, r.to_id
    FROM assets a JOIN snapshot_blob_references r ON r.blob_id = a.shared_blob
    WHERE a.account_id = OLD.account_id AND a.shared_blob IS NOT NULL AND r.to_kind = OLD.kind AND r.to_id = OLD.id;
END;

-- So the rows are there exactly for the assets with a body of their own, whoever writes: an asset
-- that gets one keeps its blob's references as rows (a client's edit then writes its own over them),
-- and one that shares a blob again drops its rows.
CREATE TRIGGER assets_owning_their_body_keep_its_references
AFTER UPDATE OF shared_blob ON assets
WHEN OLD.shared_blob IS NOT NULL AND NEW.shared_blob IS NULL
BEGIN
    INSERT OR IGNORE INTO asset_references (account_id, from_kind, from_id, pointer, to_kind, to_id)
    SELECT NEW.account_id, NEW.kind, NEW.id, pointer, to_kind, to_id FROM snapshot_blob_references WHERE blob_id = OLD.shared_blob;
END;

CREATE TRIGGER assets_sharing_a_body_drop_their_references
AFTER UPDATE OF shared_blob ON assets
WHEN NEW.shared_blob IS NOT NULL
BEGIN
    DELETE FROM asset_references WHERE account_id = NEW.account_id AND from_kind = NEW.kind AND from_id = NEW.id;
END;

-- Existing accounts: the rows of shared assets are their blobs' and go.
DELETE FROM asset_references
WHERE EXISTS (
    SELECT 1 FROM assets a
    WHERE a.account_id = asset_references.account_id AND a.kind = asset_references.from_kind
      AND a.id = asset_references.from_id AND a.shared_blob IS NOT NULL
);
