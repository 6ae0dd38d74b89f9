-- Marketing assets and the references between them, plus the contact data that points at assets.
--
-- Every configuration asset (tag, list, field, template, message, campaign, automation, form,
-- segment, score, dealGroup, dealStage) is one row: its canonical JSON body, keyed by the
-- account-scoped (kind, id). References inside bodies hold only per-account ids, so copying an
-- account's rows keeps them valid.

CREATE TABLE assets (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    id          INTEGER NOT NULL,
    name        TEXT NOT NULL,
    -- The value that must be unique within the kind (a tag's name, a field's perstag), or NULL.
    unique_key  TEXT,
    body        TEXT NOT NULL CHECK (json_valid(body)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX assets_unique_key ON assets(account_id, kind, unique_key) WHERE unique_key IS NOT NULL;
CREATE INDEX assets_by_name ON assets(account_id, kind, name);

-- The reference index: one row per reference an asset's body holds, kept in step on every write.
-- Both ends are foreign keys, so the schema itself refuses a dangling reference: deleting an asset
-- that is still referenced fails. Deferred, so a whole bundle can be written in any order.
CREATE TABLE asset_references (
    account_id  INTEGER NOT NULL,
    from_kind   TEXT NOT NULL,
    from_id     INTEGER NOT NULL,
    pointer     TEXT NOT NULL,   -- JSON pointer inside the referring body, e.g. /steps/2/tag
    to_kind     TEXT NOT NULL,
    to_id       INTEGER NOT NULL,
    PRIMARY KEY (account_id, from_kind, from_id, pointer),
    FOREIGN KEY (account_id, from_kind, from_id) REFERENCES assets(account_id, kind, id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (account_id, to_kind, to_id) REFERENCES assets(account_id, kind, id)
        DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;
CREATE INDEX asset_references_to ON asset_references(account_id, to_kind, to_id);

-- Contact data that points at assets. The constant *_kind columns let a composite foreign key
-- name the asset's kind: removing a tag removes it from contacts, as ActiveCampaign does.
CREATE TABLE contact_tags (
    account_id  INTEGER NOT NULL,
    id          INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    tag_kind    TEXT NOT NULL DEFAULT 'tag' CHECK (tag_kind = 'tag'),
    tag_id      INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts(account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, tag_kind, tag_id) REFERENCES assets(account_id, kind, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE UNIQUE INDEX contact_tags_pair ON contact_tags(account_id, contact_id, tag_id);
CREATE INDEX contact_tags_by_tag ON contact_tags(account_id, tag_kind, tag_id);

-- status: 1 subscribed, 2 unsubscribed (ActiveCampaign's values).
CREATE TABLE contact_lists (
    account_id  INTEGER NOT NULL,
    id          INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    list_kind   TEXT NOT NULL DEFAULT 'list' CHECK (list_kind = 'list'),
    list_id     INTEGER NOT NULL,
    status      INTEGER NOT NULL CHECK (status IN (1, 2)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts(account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, list_kind, list_id) REFERENCES assets(account_id, kind, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE UNIQUE INDEX contact_lists_pair ON contact_lists(account_id, contact_id, list_id);
CREATE INDEX contact_lists_by_list ON contact_lists(account_id, list_kind, list_id, status);

CREATE TABLE field_values (
    account_id  INTEGER NOT NULL,
    id          INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    field_kind  TEXT NOT NULL DEFAULT 'field' CHECK (field_kind = 'field'),
    field_id    INTEGER NOT NULL,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts(account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, field_kind, field_id) REFERENCES assets(account_id, kind, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE UNIQUE INDEX field_values_pair ON field_values(account_id, contact_id, field_id);
CREATE INDEX field_values_by_field ON field_values(account_id, field_kind, field_id);

-- A deal sits in a pipeline stage; a stage that holds deals cannot be deleted (no cascade).
CREATE TABLE deals (
    account_id   INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    value        INTEGER NOT NULL DEFAULT 0,   -- in cents, as ActiveCampaign stores it
    currency     TEXT NOT NULL DEFAULT 'usd',
    contact_id   INTEGER,
    stage_kind   TEXT NOT NULL DEFAULT 'dealStage' CHECK (stage_kind = 'dealStage'),
    stage_id     INTEGER NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),  -- open, won, lost
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, stage_kind, stage_id) REFERENCES assets(account_id, kind, id)
) WITHOUT ROWID;
CREATE INDEX deals_by_stage ON deals(account_id, stage_kind, stage_id);
CREATE INDEX deals_by_contact ON deals(account_id, contact_id);

-- A deal outlives its contact: the contact link is cleared, the deal kept.
CREATE TRIGGER contacts_release_their_deals
AFTER DELETE ON contacts
BEGIN
    UPDATE deals SET contact_id = NULL WHERE account_id = OLD.account_id AND contact_id = OLD.id;
END;
