-- Supporters through Stripe: each member's Stripe customer and
-- subscription (one at a time), and the ids of the webhook events
-- already processed, recorded in the transaction of their effect so
-- that an event delivered twice changes nothing the second time.
CREATE TABLE stripe_subscriptions (
    member_id       TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    customer_id     TEXT NOT NULL DEFAULT '',
    subscription_id TEXT NOT NULL DEFAULT '',
    tier            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('active', 'past_due', 'canceling', 'canceled')),
    updated_at      INTEGER NOT NULL
);

CREATE INDEX stripe_subscriptions_subscription ON stripe_subscriptions (subscription_id);
CREATE INDEX stripe_subscriptions_customer ON stripe_subscriptions (customer_id);

CREATE TABLE stripe_events (
    id           TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    processed_at INTEGER NOT NULL
);

-- The opt-in "Supporter" mark beside a member's name, shown only while
-- they are a supporter.
ALTER TABLE members ADD COLUMN supporter_badge INTEGER NOT NULL DEFAULT 0;
