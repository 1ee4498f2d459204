-- Content warnings: the text a post is shown collapsed behind (Mastodon's
-- spoiler text, ActivityPub's summary), and whether its media are
-- sensitive. A post with a warning is always sensitive.
ALTER TABLE posts ADD COLUMN content_warning TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;
