-- Full-text search and hashtags.
--
-- posts.search_text is the text of a post without its markup: storage
-- writes it with the content (plainText in storage/search_text.go), since
-- SQL cannot read HTML. post_search indexes the headline and that text,
-- as an external-content FTS5 table over posts: it stores only the index,
-- and the triggers below keep it in step with every insert, change of
-- either column and delete, in the transaction of the write. Its rowids
-- are the posts' rowids (posts has no INTEGER PRIMARY KEY, so a VACUUM
-- could renumber them: then INSERT INTO post_search(post_search)
-- VALUES ('rebuild') makes the index again from posts).
ALTER TABLE posts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

-- Existing posts: their content without tags, and the five entities the
-- sanitizer writes turned back into characters, as plainText does. A tag
-- becomes a space, so that words on either side of it stay apart.
CREATE TEMP TABLE search_fill (id TEXT PRIMARY KEY, body TEXT NOT NULL);
WITH RECURSIVE strip(id, done, rest) AS (
    SELECT id, '', content FROM posts
    UNION ALL
    SELECT id, done || substr(rest, 1, instr(rest, '<') - 1) || ' ',
        substr(rest, instr(rest, '<') + instr(substr(rest, instr(rest, '<')), '>'))
    FROM strip WHERE instr(rest, '<') > 0 AND instr(substr(rest, instr(rest, '<')), '>') > 0
)
INSERT INTO search_fill (id, body)
SELECT id, replace(replace(replace(replace(replace(replace(done || rest,
        '&lt;', '<'), '&gt;', '>'), '&#34;', '"'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&')
    FROM strip WHERE instr(rest, '<') = 0 OR instr(substr(rest, instr(rest, '<')), '>') = 0;
UPDATE posts SET search_text = trim(f.body) FROM search_fill f WHERE f.id = posts.id;
DROP TABLE search_fill;

-- Words are letters and digits of any script; accents are ignored, so
-- "cafe" finds "café". No stemming: a word finds itself, and a word with
-- * after it finds the words it begins.
CREATE VIRTUAL TABLE post_search USING fts5(
    headline, search_text,
    content = 'posts', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO post_search (post_search) VALUES ('rebuild');

CREATE TRIGGER post_search_insert AFTER INSERT ON posts BEGIN
    INSERT INTO post_search (rowid, headline, search_text) VALUES (new.rowid, new.headline, new.search_text);
END;

CREATE TRIGGER post_search_delete AFTER DELETE ON posts BEGIN
    INSERT INTO post_search (post_search, rowid, headline, search_text)
        VALUES ('delete', old.rowid, old.headline, old.search_text);
END;

CREATE TRIGGER post_search_update AFTER UPDATE OF headline, search_text ON posts BEGIN
    INSERT INTO post_search (post_search, rowid, headline, search_text)
        VALUES ('delete', old.rowid, old.headline, old.search_text);
    INSERT INTO post_search (rowid, headline, search_text) VALUES (new.rowid, new.headline, new.search_text);
END;

-- The hashtags of posts, lower case (normalizeHashtag): of a local post,
-- those written in its headline and text; of a remote one, its tags of
-- type Hashtag. New and edited posts only: older posts are found by
-- their words.
CREATE TABLE post_tags (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (post_id, tag)
) WITHOUT ROWID;

CREATE INDEX post_tags_tag ON post_tags (tag, post_id);
