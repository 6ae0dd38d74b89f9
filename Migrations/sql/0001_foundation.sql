-- Agencies, their accounts, credentials, contacts and the email outbox.
-- Every asset and data row of an account is keyed (account_id, id), with ids
-- allocated per account: copying an account's rows keeps every reference valid.

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_at  TEXT NOT NULL
);

-- Agency API tokens: only the SHA-256 digest of the token is kept.
CREATE TABLE agency_tokens (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    digest      BLOB NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);
CREATE INDEX agency_tokens_by_agency ON agency_tokens(agency_id);

-- contact_limit / send_limit: NULL means unlimited. The limits are stored on the
-- account so that the triggers below enforce exactly what the API reports.
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind           TEXT NOT NULL CHECK (kind IN ('sandbox', 'trial', 'paid')),
    contact_limit  INTEGER CHECK (contact_limit >= 0),
    send_limit     INTEGER CHECK (send_limit >= 0),
    created_at     TEXT NOT NULL
);
CREATE INDEX accounts_by_agency ON accounts(agency_id, kind, id);

-- A client account never becomes a sandbox and a sandbox is never upgraded in place.
CREATE TRIGGER accounts_sandbox_kind_is_fixed
BEFORE UPDATE OF kind ON accounts
WHEN (OLD.kind = 'sandbox') <> (NEW.kind = 'sandbox')
BEGIN
    SELECT RAISE(ABORT, 'account_kind_conversion');
END;

-- The people who log in to an account. Passwords are kept only as bcrypt hashes.
CREATE TABLE account_users (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    username       TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX account_users_by_account ON account_users(account_id);

-- Per-account API tokens: only the SHA-256 digest is kept.
CREATE TABLE account_tokens (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    digest      BLOB NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);
CREATE INDEX account_tokens_by_account ON account_tokens(account_id);

-- The last id handed out per account and kind of record. Ids are never reused.
CREATE TABLE id_sequences (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    last_id     INTEGER NOT NULL,
    PRIMARY KEY (account_id, kind)
) WITHOUT ROWID;

CREATE TABLE contacts (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    email       TEXT NOT NULL,
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX contacts_by_email ON contacts(account_id, email COLLATE NOCASE);

-- The sandbox cap holds for every writer, also under concurrent requests:
-- SQLite serialises writers, and this check runs inside the writing transaction.
CREATE TRIGGER contacts_respect_contact_limit
BEFORE INSERT ON contacts
WHEN (SELECT contact_limit FROM accounts WHERE id = NEW.account_id) IS NOT NULL
 AND (SELECT count(*) FROM contacts WHERE account_id = NEW.account_id)
     >= (SELECT contact_limit FROM accounts WHERE id = NEW.account_id)
BEGIN
    SELECT RAISE(ABORT, 'contact_limit_reached');
END;

-- One email sent to a set of contacts; the outbox holds one row per recipient.
CREATE TABLE email_sends (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    subject     TEXT NOT NULL,
    html        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

-- The recipient's address is copied so the record survives the contact's deletion.
CREATE TABLE outbox (
    account_id  INTEGER NOT NULL,
    send_id     INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    email       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, send_id, contact_id),
    FOREIGN KEY (account_id, send_id) REFERENCES email_sends(account_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- A send that would pass the cap fails on its first recipient over it; the
-- caller's transaction then rolls the whole send back.
CREATE TRIGGER outbox_respects_send_limit
BEFORE INSERT ON outbox
WHEN (SELECT send_limit FROM accounts WHERE id = NEW.account_id) IS NOT NULL
 AND (SELECT count(*) FROM outbox WHERE account_id = NEW.account_id)
     >= (SELECT send_limit FROM accounts WHERE id = NEW.account_id)
BEGIN
    SELECT RAISE(ABORT, 'send_limit_reached');
END;
