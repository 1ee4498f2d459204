-- Queues that never stall, claims that cost what they claim, retention,
-- and indexes on the foreign keys that cascades walk.

-- An outbox event whose expansion fails is tried again after growing
-- waits, and parked after a few attempts: kept, no longer taken, until it
-- is retried on demand.
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN parked_at INTEGER;

DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (id) WHERE processed_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_parked ON outbox (parked_at) WHERE parked_at IS NOT NULL;

-- Deliveries of activities about one object (a post, a followed actor) to
-- one server go in the order of their events: one waits while a delivery
-- of an earlier event with the same key to the same host is pending.
ALTER TABLE deliveries ADD COLUMN ordering_key TEXT NOT NULL DEFAULT '';
CREATE INDEX deliveries_order ON deliveries (host, ordering_key, outbox_id)
    WHERE delivered_at IS NULL AND dropped_at IS NULL AND ordering_key <> '';

-- Claiming walks the servers with pending deliveries and reads a few due
-- ones of each, instead of sorting the whole due queue (deliveries_due
-- still tells at once whether anything is due at all).
CREATE INDEX deliveries_host_due ON deliveries (host, next_attempt_at, id)
    WHERE delivered_at IS NULL AND dropped_at IS NULL;

-- A server marked unavailable is asked once a day whether it is back.
ALTER TABLE hosts ADD COLUMN probed_at INTEGER;

-- The janitor finds what is old enough to prune, oldest first, in these.
CREATE INDEX inbox_handled ON inbox (processed_at) WHERE processed_at IS NOT NULL;
CREATE INDEX inbox_handled_body ON inbox (processed_at) WHERE processed_at IS NOT NULL AND length(body) > 0;
CREATE INDEX outbox_done ON outbox (processed_at) WHERE processed_at IS NOT NULL;
CREATE INDEX deliveries_pending_event ON deliveries (outbox_id) WHERE delivered_at IS NULL AND dropped_at IS NULL;
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
CREATE INDEX tombstones_age ON tombstones (deleted_at);

-- Deleting a post, an actor or a member looks up the rows that refer to
-- it (to cascade or set null): each foreign key needs an index, or every
-- delete reads the whole child table.
CREATE INDEX reactions_post ON reactions (post_id);
CREATE INDEX notifications_post ON notifications (post_id);
CREATE INDEX notifications_actor ON notifications (actor_id);
CREATE INDEX invites_used_by ON invites (used_by) WHERE used_by IS NOT NULL;
CREATE INDEX subwikis_created_by ON subwikis (created_by) WHERE created_by IS NOT NULL;
