-- Indexes of the posts a home feed can show: not comments, not direct.
-- A page of the home feed is found in these alone (storage/feed.go,
-- homeFeedQuery): walking back through the newest posts in posts_feed, or
-- reading the posts of each followed account and joined subwiki.
CREATE INDEX posts_feed ON posts (id, author_id, subwiki_id)
    WHERE kind <> 'comment' AND visibility <> 'direct';
CREATE INDEX posts_author_feed ON posts (author_id, id)
    WHERE kind <> 'comment' AND visibility <> 'direct';
CREATE INDEX posts_subwiki_feed ON posts (subwiki_id, id)
    WHERE kind <> 'comment' AND visibility <> 'direct' AND subwiki_id IS NOT NULL;
