-- Webhooks (v3's `/webhooks`): events of contacts, tags, lists and campaigns, POSTed to a URL and
-- retried until it answers.

CREATE TABLE webhooks (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    name        TEXT NOT NULL,
    url         TEXT NOT NULL,
    events      TEXT NOT NULL CHECK (json_valid(events)),    -- ["subscribe", "contact_tag_added", …]
    sources     TEXT NOT NULL CHECK (json_valid(sources)),   -- ["public", "admin", "api", "system"]
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

-- One event for one webhook, written in the transaction of the change it reports (so a change and
-- its event are never one without the other). What happened is kept as ids; the request body is
-- written when it is sent, from the contact as it is then (an erased contact is sent as DELETED).
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL,
    webhook_id       INTEGER NOT NULL,
    event            TEXT NOT NULL,
    contact_id       INTEGER,
    subject_id       INTEGER,   -- the tag, list, campaign or send the event concerns
    link             TEXT,
    created_at       TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    delivered_at     TEXT,
    failed_at        TEXT,
    last_error       TEXT,
    FOREIGN KEY (account_id, webhook_id) REFERENCES webhooks(account_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries(account_id, webhook_id);

-- The triggers below queue an event for every webhook of the account that listens to it. Each first
-- asks whether the account has a webhook at all: an import into an account without one pays one
-- index probe per row.

CREATE TRIGGER webhooks_hear_subscriptions
AFTER INSERT ON contact_lists
WHEN EXISTS (SELECT 1 FROM webhooks WHERE account_id = NEW.account_id)
BEGIN
    INSERT INTO webhook_deliveries (account_id, webhook_id, event, contact_id, subject_id, created_at, next_attempt_at)
    SELECT w.account_id, w.id, CASE NEW.status WHEN 1 THEN 'subscribe' ELSE 'unsubscribe' END, NEW.contact_id, NEW.list_id, NEW.updated_at, NEW.updated_at
    FROM webhooks w
    WHERE w.account_id = NEW.account_id
      AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = CASE NEW.status WHEN 1 THEN 'subscribe' ELSE 'unsubscribe' END);
END;

CREATE TRIGGER webhooks_hear_status_changes
AFTER UPDATE OF status ON contact_lists
WHEN NEW.status <> OLD.status AND EXISTS (SELECT 1 FROM webhooks WHERE account_id = NEW.account_id)
BEGIN
    INSERT INTO webhook_deliveries (account_id, webhook_id, event, contact_id, subject_id, created_at, next_attempt_at)
    SELECT w.account_id, w.id, CASE NEW.status WHEN 1 THEN 'subscribe' ELSE 'unsubscribe' END, NEW.contact_id, NEW.list_id, NEW.updated_at, NEW.updated_at
    FROM webhooks w
    WHERE w.account_id = NEW.account_id
      AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = CASE NEW.status WHEN 1 THEN 'subscribe' ELSE 'unsubscribe' END);
END;

CREATE TRIGGER webhooks_hear_contact_updates
AFTER UPDATE ON contacts
WHEN EXISTS (SELECT 1 FROM webhooks WHERE account_id = NEW.account_id)
BEGIN
    INSERT INTO webhook_deliveries (account_id, webhook_id, event, contact_id, created_at, next_attempt_at)
    SELECT w.account_id, w.id, 'update', NEW.id, NEW.updated_at, NEW.updated_at
    FROM webhooks w
    WHERE w.account_id = NEW.account_id AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = 'update');
END;

CREATE TRIGGER webhooks_hear_tags_added
AFTER INSERT ON contact_tags
WHEN EXISTS (SELECT 1 FROM webhooks WHERE account_id = NEW.account_id)
BEGIN
    INSERT INTO webhook_deliveries (account_id, webhook_id, event, contact_id, subject_id, created_at, next_attempt_at)
    SELECT w.account_id, w.id, 'contact_tag_added', NEW.contact_id, NEW.tag_id, NEW.created_at, NEW.created_at
    FROM webhooks w
    WHERE w.account_id = NEW.account_id AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = 'contact_tag_added');
END;

CREATE TRIGGER webhooks_hear_tags_removed
AFTER DELETE ON contact_tags
WHEN EXISTS (SELECT 1 FROM webhooks WHERE account_id = OLD.account_id)
BEGIN
    INSERT INTO webhook_deliveries (account_id, webhook_id, event, contact_id, subject_id, created_at, next_attempt_at)
    SELECT w.account_id, w.id, 'contact_tag_removed', OLD.contact_id, OLD.tag_id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM webhooks w
    WHERE w.account_id = OLD.account_id AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = 'contact_tag_removed');
END;

CREATE TRIGGER webhooks_hear_new_lists
AFTER INSERT ON assets
WHEN NEW.kind = 'list' AND EXISTS (SELECT 1 FROM webhooks WHERE account_id = NEW.account_id)
BEGIN
    INSERT INTO webhook_deliveries (account_id, webhook_id, event, subject_id, created_at, next_attempt_at)
    SELECT w.account_id, w.id, 'list_add', NEW.id, NEW.created_at, NEW.created_at
    FROM webhooks w
    WHERE w.account_id = NEW.account_id AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = 'list_add');
END;

CREATE TRIGGER webhooks_hear_sends
AFTER INSERT ON outbox
WHEN EXISTS (SELECT 1 FROM webhooks WHERE account_id = NEW.account_id)
BEGIN
    INSERT INTO webhook_deliveries (account_id, webhook_id, event, contact_id, subject_id, created_at, next_attempt_at)
    SELECT w.account_id, w.id, 'sent', NEW.contact_id, NEW.send_id, NEW.created_at, NEW.created_at
    FROM webhooks w
    WHERE w.account_id = NEW.account_id AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = 'sent');
END;

CREATE TRIGGER webhooks_hear_campaign_events
AFTER INSERT ON campaign_events
WHEN NEW.type IN ('open', 'click', 'hard_bounce', 'soft_bounce') AND EXISTS (SELECT 1 FROM webhooks WHERE account_id = NEW.account_id)
BEGIN
    INSERT INTO webhook_deliveries (account_id, webhook_id, event, contact_id, subject_id, link, created_at, next_attempt_at)
    SELECT w.account_id, w.id, CASE WHEN NEW.type LIKE '%bounce' THEN 'bounce' ELSE NEW.type END, NEW.contact_id, NEW.campaign_id, NEW.link,
           NEW.created_at, NEW.created_at
    FROM webhooks w
    WHERE w.account_id = NEW.account_id
      AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = CASE WHEN NEW.type LIKE '%bounce' THEN 'bounce' ELSE NEW.type END);
END;
