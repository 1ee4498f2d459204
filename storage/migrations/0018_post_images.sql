-- Images members attach to their posts: their size in pixels, which
-- goes out with them (width, height), as Mastodon sends it. Remote
-- images keep 0 when their server did not say.
ALTER TABLE post_attachments ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE post_attachments ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
