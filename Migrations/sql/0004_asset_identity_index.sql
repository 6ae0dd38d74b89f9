-- A compact index on each asset's identity, for the foreign keys that point at assets.
--
-- `assets` is a WITHOUT ROWID table keyed (account_id, kind, id) whose rows carry the bodies, so
-- its key B-tree spreads over the whole file. SQLite checks each reference's two foreign keys with
-- a lookup in the first unique index that matches, and an index created here is found before the
-- table's own key. Measured on provisioning at 150 accounts (9 MiB each): copying 7,362 references
-- took 130 ms with the lookups in the table and 27 ms with this index, and the cost no longer grows
-- with the file.
CREATE UNIQUE INDEX assets_identity ON assets(account_id, kind, id);
