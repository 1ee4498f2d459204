-- The partner program: members who opted in as creators, the reads of
-- supporters that share the creator pool, and the closed months' ledger.

-- creators are the members in the program, and where their payouts go:
-- a connected Stripe account (stripe_account_id once onboarding began)
-- or by hand (manual).
CREATE TABLE creators (
    member_id         TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    payout            TEXT NOT NULL CHECK (payout IN ('stripe', 'manual')),
    stripe_account_id TEXT NOT NULL DEFAULT '',
    joined_at         INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

-- post_reads: a supporter opened a creator's local post, once per
-- supporter per post per UTC day (day = days since 1970-01-01). Only
-- what the month's computation needs is kept: no time of day, no address.
-- seconds is the time the page was in view that day, as the page's
-- optional script reported it, capped at ten minutes.
CREATE TABLE post_reads (
    supporter_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    post_id      TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    day          INTEGER NOT NULL,
    seconds      INTEGER NOT NULL DEFAULT 0 CHECK (seconds BETWEEN 0 AND 600),
    PRIMARY KEY (supporter_id, post_id, day)
);

CREATE INDEX post_reads_day ON post_reads (day);
CREATE INDEX post_reads_post ON post_reads (post_id); -- a post's deletion takes its reads

-- partner_months is a closed month's statement (month: "2026-11", UTC).
-- With its lines it is the ledger: written once when the month is closed,
-- never changed. Names and headlines are copied so the ledger still reads
-- after an account or post is gone; ids have no foreign keys for the same
-- reason.
CREATE TABLE partner_months (
    month             TEXT PRIMARY KEY,
    currency          TEXT NOT NULL,
    revenue_cents     INTEGER NOT NULL,
    pool_percent      INTEGER NOT NULL,
    max_share_percent INTEGER NOT NULL,
    pool_cents        INTEGER NOT NULL,
    allocated_cents   INTEGER NOT NULL,
    unallocated_cents INTEGER NOT NULL,
    closed_at         INTEGER NOT NULL,
    closed_by         TEXT NOT NULL
);

-- partner_lines: what one post earned its creator in a closed month.
CREATE TABLE partner_lines (
    month      TEXT NOT NULL REFERENCES partner_months (month),
    creator_id TEXT NOT NULL,
    creator    TEXT NOT NULL,   -- the creator's name then
    post_id    TEXT NOT NULL,
    headline   TEXT NOT NULL,   -- the post's headline then
    cents      INTEGER NOT NULL CHECK (cents >= 0),
    PRIMARY KEY (month, creator_id, post_id)
);

CREATE INDEX partner_lines_creator ON partner_lines (creator_id, month);

-- partner_creators: a creator's total for a closed month, and the share
-- of it the one supporter who gave most made up (for the anomalies).
CREATE TABLE partner_creators (
    month               TEXT NOT NULL REFERENCES partner_months (month),
    creator_id          TEXT NOT NULL,
    creator             TEXT NOT NULL,
    cents               INTEGER NOT NULL CHECK (cents >= 0),
    top_supporter_share INTEGER NOT NULL, -- per mille of cents
    supporters          INTEGER NOT NULL,
    PRIMARY KEY (month, creator_id)
);

-- partner_payouts: a creator's total of a closed month, paid: by a
-- Stripe transfer (transfer_id) or marked paid by hand by an admin.
CREATE TABLE partner_payouts (
    month       TEXT NOT NULL,
    creator_id  TEXT NOT NULL,
    cents       INTEGER NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('stripe', 'manual')),
    transfer_id TEXT NOT NULL DEFAULT '',
    paid_at     INTEGER NOT NULL,
    paid_by     TEXT NOT NULL,
    PRIMARY KEY (month, creator_id),
    FOREIGN KEY (month, creator_id) REFERENCES partner_creators (month, creator_id)
);

CREATE TRIGGER partner_months_no_update BEFORE UPDATE ON partner_months
BEGIN SELECT RAISE(ABORT, 'the partner ledger is never changed'); END;
CREATE TRIGGER partner_months_no_delete BEFORE DELETE ON partner_months
BEGIN SELECT RAISE(ABORT, 'the partner ledger is never changed'); END;
CREATE TRIGGER partner_lines_no_update BEFORE UPDATE ON partner_lines
BEGIN SELECT RAISE(ABORT, 'the partner ledger is never changed'); END;
CREATE TRIGGER partner_lines_no_delete BEFORE DELETE ON partner_lines
BEGIN SELECT RAISE(ABORT, 'the partner ledger is never changed'); END;
CREATE TRIGGER partner_creators_no_update BEFORE UPDATE ON partner_creators
BEGIN SELECT RAISE(ABORT, 'the partner ledger is never changed'); END;
CREATE TRIGGER partner_creators_no_delete BEFORE DELETE ON partner_creators
BEGIN SELECT RAISE(ABORT, 'the partner ledger is never changed'); END;
CREATE TRIGGER partner_payouts_no_update BEFORE UPDATE ON partner_payouts
BEGIN SELECT RAISE(ABORT, 'the partner ledger is never changed'); END;
CREATE TRIGGER partner_payouts_no_delete BEFORE DELETE ON partner_payouts
BEGIN SELECT RAISE(ABORT, 'the partner ledger is never changed'); END;
