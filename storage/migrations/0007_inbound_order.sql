-- The inbox keeps activities apart that must be handled one after
-- another, and parks those that keep failing.

-- order_key names what an activity is about (its actor and the object it
-- concerns in the end, as federation reads it): an activity waits while
-- one received before it with the same key is unfinished. '' is none.
ALTER TABLE inbox ADD COLUMN order_key TEXT NOT NULL DEFAULT '';

-- parked_at marks an activity given up on after repeated failures: it is
-- kept, with its body and last error, and taken again only when an
-- admin asks.
ALTER TABLE inbox ADD COLUMN parked_at INTEGER;

CREATE INDEX inbox_order ON inbox (order_key, id) WHERE processed_at IS NULL AND parked_at IS NULL;
CREATE INDEX inbox_parked ON inbox (parked_at) WHERE parked_at IS NOT NULL AND processed_at IS NULL;
