-- Reports: contacts in automations with the automations' entered / exited counters, and campaign
-- counters kept from sends and from open, click, bounce and unsubscribe events.

-- A contact's run through an automation. status: 1 active, 2 exited (v3's values). A run that is
-- removed keeps its row, exited, so the counters below stay true.
CREATE TABLE contact_automations (
    account_id       INTEGER NOT NULL,
    id               INTEGER NOT NULL,
    contact_id       INTEGER NOT NULL,
    automation_kind  TEXT NOT NULL DEFAULT 'automation' CHECK (automation_kind = 'automation'),
    automation_id    INTEGER NOT NULL,
    status           INTEGER NOT NULL DEFAULT 1 CHECK (status IN (1, 2)),
    added_at         TEXT NOT NULL,
    removed_at       TEXT,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts(account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, automation_kind, automation_id) REFERENCES assets(account_id, kind, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX contact_automations_by_contact ON contact_automations(account_id, contact_id, automation_id);
-- One active run per contact and automation.
CREATE UNIQUE INDEX contact_automations_active ON contact_automations(account_id, contact_id, automation_id) WHERE status = 1;

-- An automation's counters. id is the automation's id; the timestamps let snapshots carry the row
-- as they carry contact data (SnapshotRecords).
CREATE TABLE automation_reports (
    account_id  INTEGER NOT NULL,
    id          INTEGER NOT NULL,
    entered     INTEGER NOT NULL DEFAULT 0,
    exited      INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

CREATE TRIGGER contact_automations_count_entries
AFTER INSERT ON contact_automations
BEGIN
    INSERT INTO automation_reports (account_id, id, entered, created_at, updated_at)
    VALUES (NEW.account_id, NEW.automation_id, 1, NEW.added_at, NEW.added_at)
    ON CONFLICT (account_id, id) DO UPDATE SET entered = entered + 1, updated_at = excluded.updated_at;
END;

CREATE TRIGGER contact_automations_count_exits
AFTER UPDATE OF status ON contact_automations
WHEN NEW.status = 2 AND OLD.status = 1
BEGIN
    UPDATE automation_reports SET exited = exited + 1, updated_at = coalesce(NEW.removed_at, updated_at)
    WHERE account_id = NEW.account_id AND id = NEW.automation_id;
END;

-- A campaign's counters, by v3's names. id is the campaign's id.
CREATE TABLE campaign_reports (
    account_id        INTEGER NOT NULL,
    id                INTEGER NOT NULL,
    send_amt          INTEGER NOT NULL DEFAULT 0,
    opens             INTEGER NOT NULL DEFAULT 0,
    uniqueopens       INTEGER NOT NULL DEFAULT 0,
    linkclicks        INTEGER NOT NULL DEFAULT 0,
    uniquelinkclicks  INTEGER NOT NULL DEFAULT 0,
    unsubscribes      INTEGER NOT NULL DEFAULT 0,
    hardbounces       INTEGER NOT NULL DEFAULT 0,
    softbounces       INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

-- The events behind the counters: who opened, clicked which link, bounced, unsubscribed. "Unique"
-- counters count a contact's first event of its type (and, for clicks, of its link).
CREATE TABLE campaign_events (
    account_id   INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    campaign_id  INTEGER NOT NULL,
    contact_id   INTEGER,
    type         TEXT NOT NULL CHECK (type IN ('open', 'click', 'unsubscribe', 'hard_bounce', 'soft_bounce')),
    link         TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) WITHOUT ROWID;
CREATE INDEX campaign_events_by_campaign ON campaign_events(account_id, campaign_id, type, contact_id);

-- Reports go with their campaign or automation.
CREATE TRIGGER assets_take_their_reports
AFTER DELETE ON assets
WHEN OLD.kind IN ('campaign', 'automation')
BEGIN
    DELETE FROM campaign_reports WHERE OLD.kind = 'campaign' AND account_id = OLD.account_id AND id = OLD.id;
    DELETE FROM campaign_events WHERE OLD.kind = 'campaign' AND account_id = OLD.account_id AND campaign_id = OLD.id;
    DELETE FROM automation_reports WHERE OLD.kind = 'automation' AND account_id = OLD.account_id AND id = OLD.id;
END;
