-- Boosts show in timelines as entries of their own, as Mastodon's
-- reblogs do: each boost made from now on (a member's, or one another
-- server sent) gets an id, a ULID made when it was boosted, which pages
-- with the posts' ids in the home feed and names the reblog in the
-- client API. Likes, and boosts recorded before, have none, and are
-- not timeline entries.
ALTER TABLE reactions ADD COLUMN id TEXT;

-- The home feed walks the boosts of a page's span by id and keeps those
-- of the member's sources: the booster and the post are in the index, so
-- that the walk reads no table row for a boost it leaves out.
CREATE INDEX reactions_boost_id ON reactions (id, actor_id, post_id) WHERE id IS NOT NULL;
CREATE INDEX reactions_boosts_by ON reactions (actor_id, id) WHERE kind = 'announce' AND id IS NOT NULL;
