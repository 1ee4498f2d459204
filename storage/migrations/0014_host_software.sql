-- What software a server runs, as its NodeInfo names it ("mastodon",
-- "gotosocial", "lemmy", ...), and when that was read; '' when it could
-- not be read. Subwikis send each follower's server the Announce it
-- understands (docs/federation.md, Subwikis).
ALTER TABLE hosts ADD COLUMN software TEXT NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN software_read_at INTEGER;
