-- An agency's own name on the door (issue 29): its branding, shown to its clients instead of the
-- service's name, and the custom domains its clients sign in at.
--
-- Branding: a display name, an accent colour kept as '#rrggbb' (lower case, checked here as well, so
-- it can be written into CSS as it is) and a logo: PNG or JPEG bytes, checked by the service before
-- they arrive, served under the SHA-256 of their bytes (hex), so a new logo is a new URL.
CREATE TABLE agency_branding (
    agency_id     INTEGER PRIMARY KEY REFERENCES agencies(id) ON DELETE CASCADE,
    display_name  TEXT,
    accent        TEXT CHECK (accent IS NULL OR (length(accent) = 7 AND accent GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')),
    logo          BLOB,
    logo_type     TEXT CHECK (logo_type IS NULL OR logo_type IN ('png', 'jpeg')),
    logo_digest   TEXT,
    updated_at    TEXT NOT NULL,
    CHECK ((logo IS NULL) = (logo_type IS NULL) AND (logo IS NULL) = (logo_digest IS NULL))
);
CREATE INDEX agency_branding_by_logo ON agency_branding(logo_digest) WHERE logo_digest IS NOT NULL;

-- A host name an agency claims. It is active once verified_at is set: the agency proved it controls
-- the name's DNS by publishing `agency-snapshots-verify=<token>` as a TXT record of
-- `_agency-snapshots.<host>`. The token is public by design (it is published in DNS). A host belongs
-- to one agency at most: the UNIQUE constraint holds for every writer and under concurrency.
CREATE TABLE agency_domains (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    host         TEXT NOT NULL UNIQUE,
    token        TEXT NOT NULL,
    verified_at  TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX agency_domains_by_agency ON agency_domains(agency_id);

-- The domain an account's credentials name (`https://<host>/login`). Only one of its own agency's
-- domains (checked in the inserting transaction); removing the domain leaves the account on the
-- service's own login URL.
ALTER TABLE accounts ADD COLUMN domain_id INTEGER REFERENCES agency_domains(id) ON DELETE SET NULL;
CREATE INDEX accounts_by_domain ON accounts(domain_id) WHERE domain_id IS NOT NULL;
