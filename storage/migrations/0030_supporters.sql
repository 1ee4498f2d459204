-- Supporters: the money members give, each payment a row. A payment
-- covers the supporter until covers_until; whoever has a payment that
-- covers now (and is not wholly refunded) is a supporter. Payments are
-- the instance's accounts, kept when the member's account is deleted
-- (member_id becomes NULL): the creator pool of a closed month is
-- computed from them.
CREATE TABLE supporter_payments (
    id             TEXT PRIMARY KEY,
    member_id      TEXT REFERENCES members (id) ON DELETE SET NULL,
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    currency       TEXT NOT NULL,              -- ISO 4217, lower case: "usd"
    paid_at        INTEGER NOT NULL,
    covers_until   INTEGER NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('stripe', 'offline')),
    external_id    TEXT UNIQUE,                -- Stripe's invoice or session id; NULL for offline
    refunded_cents INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents),
    refunded_at    INTEGER,
    note           TEXT NOT NULL DEFAULT '',
    recorded_by    TEXT REFERENCES members (id) ON DELETE SET NULL, -- the admin, for offline
    created_at     INTEGER NOT NULL
);

CREATE INDEX supporter_payments_member ON supporter_payments (member_id, covers_until);
CREATE INDEX supporter_payments_paid ON supporter_payments (paid_at);
CREATE INDEX supporter_payments_recorder ON supporter_payments (recorded_by) WHERE recorded_by IS NOT NULL;
