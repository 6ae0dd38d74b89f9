-- assets_by_name (account_id, kind, name) served no query: listing by name orders with
-- COLLATE NOCASE and searching matches anywhere in the name (LIKE '%…%'), and SQLite can use
-- this binary-collated prefix index for neither. It cost every provisioned account 2,280 index
-- entries (about 9% of its bytes) and every asset write an index update.
DROP INDEX assets_by_name;
