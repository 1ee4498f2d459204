-- OAuth 2 for the Mastodon client API: the apps that registered, the
-- authorization codes a member's consent made, and the tokens apps hold.
-- Secrets, codes and tokens are stored only as SHA-256 hashes, so a copy
-- of the database signs nobody in.

-- oauth_apps: a registered client. redirect_uris is the newline-joined
-- list, compared byte for byte; scopes is space-separated.
CREATE TABLE oauth_apps (
    id                 TEXT PRIMARY KEY,
    client_id          TEXT NOT NULL UNIQUE,
    client_secret_hash BLOB NOT NULL,
    name               TEXT NOT NULL,
    website            TEXT NOT NULL DEFAULT '',
    redirect_uris      TEXT NOT NULL,
    scopes             TEXT NOT NULL,
    created_at         INTEGER NOT NULL
);

-- oauth_codes: a member's consent, short lived and good for one exchange.
-- used_at and token_id stay after the exchange, so that a code presented
-- twice revokes the token it gave (RFC 6749 section 4.1.2).
CREATE TABLE oauth_codes (
    code_hash        BLOB PRIMARY KEY,
    app_id           TEXT NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    member_id        TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    redirect_uri     TEXT NOT NULL,
    scopes           TEXT NOT NULL,
    challenge        TEXT NOT NULL DEFAULT '',
    challenge_method TEXT NOT NULL DEFAULT '' CHECK (challenge_method IN ('', 'S256', 'plain')),
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    used_at          INTEGER,
    token_id         TEXT
);

CREATE INDEX oauth_codes_app ON oauth_codes (app_id);
CREATE INDEX oauth_codes_member ON oauth_codes (member_id);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at); -- the janitor

-- oauth_tokens: an access token and its refresh token. member_id is NULL
-- for an app's own token (client_credentials). A revoked token stays, so
-- that its refresh token presented again is known and refused.
CREATE TABLE oauth_tokens (
    id           TEXT PRIMARY KEY,
    access_hash  BLOB NOT NULL UNIQUE,
    refresh_hash BLOB UNIQUE,
    app_id       TEXT NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    member_id    TEXT REFERENCES members (id) ON DELETE CASCADE,
    scopes       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);

CREATE INDEX oauth_tokens_member ON oauth_tokens (member_id, app_id);
CREATE INDEX oauth_tokens_app ON oauth_tokens (app_id);
CREATE INDEX oauth_tokens_revoked ON oauth_tokens (revoked_at) WHERE revoked_at IS NOT NULL; -- the janitor
