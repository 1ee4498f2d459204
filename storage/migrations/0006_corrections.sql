-- Headline corrections: who may correct, locks, proposals to other
-- servers, and which posts take corrections at their origin.

-- Who may correct headlines in a subwiki: '' follows the instance's
-- setting; else 'anyone', 'members' or 'moderators'.
ALTER TABLE subwikis ADD COLUMN editable_by TEXT NOT NULL DEFAULT '';

-- A moderator may lock a post's headline, with a reason.
ALTER TABLE posts ADD COLUMN headline_locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN lock_reason TEXT NOT NULL DEFAULT '';
-- For a remote post: the history collection of its origin, when the
-- origin takes corrections (another Tidings). Empty: it does not.
ALTER TABLE posts ADD COLUMN history_uri TEXT NOT NULL DEFAULT '';

-- A member's wish to also see the headline as first published.
ALTER TABLE members ADD COLUMN show_original_headlines INTEGER NOT NULL DEFAULT 0;

-- How a revision came about.
ALTER TABLE headline_revisions ADD COLUMN reverts_to INTEGER NOT NULL DEFAULT 0; -- the revision restored, for a revert
ALTER TABLE headline_revisions ADD COLUMN local_only INTEGER NOT NULL DEFAULT 0; -- kept here only: the origin takes no corrections
ALTER TABLE headline_revisions ADD COLUMN uri TEXT NOT NULL DEFAULT '';          -- the revision's ActivityPub id

CREATE INDEX headline_revisions_editor ON headline_revisions (editor_id, created_at);

-- A correction a member here proposed to the post's origin server, and
-- what became of it.
CREATE TABLE headline_proposals (
    id            TEXT PRIMARY KEY,
    post_id       TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    member_id     TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    base_revision INTEGER NOT NULL,
    headline      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    source_url    TEXT NOT NULL DEFAULT '',
    activity_uri  TEXT NOT NULL UNIQUE,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    answer        TEXT NOT NULL DEFAULT '',  -- the origin's reason for a rejection
    created_at    INTEGER NOT NULL,
    answered_at   INTEGER
);

CREATE INDEX headline_proposals_member ON headline_proposals (member_id, created_at);
CREATE INDEX headline_proposals_post ON headline_proposals (post_id, created_at);
