-- Contacts in and out: imports, the history of list statuses, and erasure.

-- An erased contact keeps its row, so its id stays taken and deals and sends still point somewhere,
-- but every personal value reads DELETED and erased_at says since when. It is never mailed again.
ALTER TABLE contacts ADD COLUMN erased_at TEXT;
-- The import that last wrote the contact. A second row with the same email in one import is a
-- duplicate inside the file: found through this column, without holding the file's emails in memory.
ALTER TABLE contacts ADD COLUMN import_id INTEGER;

-- An erased contact's values stay DELETED: no writer can put personal data back into its row.
CREATE TRIGGER erased_contacts_stay_erased
BEFORE UPDATE OF email, first_name, last_name, phone ON contacts
WHEN OLD.erased_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'contact_erased');
END;

-- Nor can it be subscribed to a list again, or be a recipient: it can never be mailed.
CREATE TRIGGER erased_contacts_stay_unsubscribed
BEFORE INSERT ON contact_lists
WHEN NEW.status = 1
 AND (SELECT erased_at FROM contacts WHERE account_id = NEW.account_id AND id = NEW.contact_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'contact_erased');
END;

CREATE TRIGGER erased_contacts_are_not_resubscribed
BEFORE UPDATE OF status ON contact_lists
WHEN NEW.status = 1
 AND (SELECT erased_at FROM contacts WHERE account_id = NEW.account_id AND id = NEW.contact_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'contact_erased');
END;

CREATE TRIGGER erased_contacts_are_never_mailed
BEFORE INSERT ON outbox
WHEN (SELECT erased_at FROM contacts WHERE account_id = NEW.account_id AND id = NEW.contact_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'contact_erased');
END;

-- Every status a contact had on a list, oldest first (1 subscribed, 2 unsubscribed, as in v3).
-- Written by triggers, so every writer keeps it: the API, imports, erasure.
CREATE TABLE contact_list_history (
    account_id  INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    list_id     INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts(account_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_list_history_by_contact ON contact_list_history(account_id, contact_id, list_id);

CREATE TRIGGER contact_lists_record_their_start
AFTER INSERT ON contact_lists
BEGIN
    INSERT INTO contact_list_history (account_id, contact_id, list_id, status, changed_at)
    VALUES (NEW.account_id, NEW.contact_id, NEW.list_id, NEW.status, NEW.updated_at);
END;

CREATE TRIGGER contact_lists_record_their_changes
AFTER UPDATE OF status ON contact_lists
WHEN NEW.status <> OLD.status
BEGIN
    INSERT INTO contact_list_history (account_id, contact_id, list_id, status, changed_at)
    VALUES (NEW.account_id, NEW.contact_id, NEW.list_id, NEW.status, NEW.updated_at);
END;

-- Memberships from before this migration start their history with their current status.
INSERT INTO contact_list_history (account_id, contact_id, list_id, status, changed_at)
SELECT account_id, contact_id, list_id, status, updated_at FROM contact_lists;

-- The audit of erasures: when and by whom, never what. email_digest is the SHA-256 of the account
-- and the lower-cased address: it lets a later import recognise the address and refuse it (unless
-- told to take it back, which sets readmitted_at) without the address being kept.
CREATE TABLE contact_erasures (
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL,
    email_digest   BLOB NOT NULL,
    erased_at      TEXT NOT NULL,
    erased_by      TEXT NOT NULL,
    readmitted_at  TEXT,
    PRIMARY KEY (account_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_erasures_by_digest ON contact_erasures(account_id, email_digest);

-- One import: a CSV file (in one request or several) or one v3 bulk_import request.
CREATE TABLE contact_imports (
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id           INTEGER NOT NULL,
    batch_id     TEXT NOT NULL UNIQUE,   -- v3's batchId
    source       TEXT NOT NULL CHECK (source IN ('csv', 'bulk_import')),
    rows         INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

-- What became of a row: its contact, or why it was refused. CSV imports keep only the refusals;
-- bulk imports (at most 250 rows) keep every row, for v3's import/info. No personal value is kept
-- here: a row is known by its line (CSV) or position (bulk_import).
CREATE TABLE contact_import_rows (
    account_id  INTEGER NOT NULL,
    import_id   INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    contact_id  INTEGER,
    code        TEXT,
    message     TEXT,
    PRIMARY KEY (account_id, import_id, line),
    FOREIGN KEY (account_id, import_id) REFERENCES contact_imports(account_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

