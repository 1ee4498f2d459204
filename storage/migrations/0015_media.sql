-- Media: the images a remote post carries (Image, or Document of an image
-- type), in the order it lists them; the header images of actors, as the
-- avatar is (icon_url, avatar_url): a remote actor's image url, or the
-- address of a member's uploaded header.
CREATE TABLE post_attachments (
    post_id    TEXT    NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    url        TEXT    NOT NULL,
    media_type TEXT    NOT NULL DEFAULT '',
    alt        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (post_id, position)
);

ALTER TABLE actors ADD COLUMN image_url TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN header_url TEXT NOT NULL DEFAULT '';
