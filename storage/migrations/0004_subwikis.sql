-- Subwikis (topic groups), news posts and discussions with headlines,
-- threaded comments, headline revisions, and notifications.

-- Members and subwikis share one namespace of names, so that
-- acct:name@domain always means one actor.
CREATE TABLE handles (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('member', 'subwiki'))
);
INSERT INTO handles (name, kind) SELECT username, 'member' FROM members;

-- A local subwiki; its Group actor has the same id.
CREATE TABLE subwikis (
    id           TEXT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
    name         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    rules        TEXT NOT NULL DEFAULT '',
    members_only INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT REFERENCES members (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE subwiki_moderators (
    subwiki_id TEXT NOT NULL REFERENCES subwikis (id) ON DELETE CASCADE,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (subwiki_id, member_id)
);

CREATE INDEX subwiki_moderators_member ON subwiki_moderators (member_id);

-- kind: note (a plain profile post), news (a link with a headline),
-- discussion (a headline and text), comment (a reply in a thread).
ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'note';
ALTER TABLE posts ADD COLUMN headline TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN link_url TEXT NOT NULL DEFAULT '';
-- The Group actor (local or remote) a post was published in.
ALTER TABLE posts ADD COLUMN subwiki_id TEXT REFERENCES actors (id) ON DELETE SET NULL;
-- For comments: the post or comment replied to, and the thread's post.
ALTER TABLE posts ADD COLUMN parent_id TEXT;
ALTER TABLE posts ADD COLUMN root_id TEXT;
ALTER TABLE posts ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
-- The number of the headline's current revision.
ALTER TABLE posts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

CREATE INDEX posts_subwiki ON posts (subwiki_id, id) WHERE subwiki_id IS NOT NULL;
CREATE INDEX posts_thread ON posts (root_id, id) WHERE root_id IS NOT NULL;
CREATE INDEX posts_in_reply_to ON posts (in_reply_to) WHERE in_reply_to <> '';

-- Every headline a post has had; revision 1 is the headline as first
-- published. Rows are never changed or removed while the post exists.
CREATE TABLE headline_revisions (
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    headline   TEXT NOT NULL,
    editor_id  TEXT REFERENCES actors (id) ON DELETE SET NULL,
    reason     TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, number)
);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('mention', 'reply')),
    actor_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);

CREATE INDEX notifications_member ON notifications (member_id, id);
