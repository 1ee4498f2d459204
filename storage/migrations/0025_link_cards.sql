-- What the linked page's publisher says about it (og:description),
-- shown on the news post's card as the publisher's words, apart from
-- the member's commentary.
ALTER TABLE posts ADD COLUMN link_description TEXT NOT NULL DEFAULT '';
