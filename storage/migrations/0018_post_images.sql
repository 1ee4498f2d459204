-- Images members attach to their posts: their size in pixels, which
-- goes out with them (width, height), as Mastodon sends it. Remote
-- images keep 0 when their server did not say.
ALTER TABLE post_attachments ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE post_attachments ADD COLUMN height INTEGER NOT NULL DEFAULT 0;

-- The janitor asks which uploaded files a post still uses, by the file's
-- name (32 hex digits and an extension: the last 36 characters of its
-- address), so that the answer holds whatever the instance's address.
CREATE INDEX post_attachments_by_file ON post_attachments (substr(url, -36));
