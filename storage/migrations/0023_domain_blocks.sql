-- Domain blocks: remote servers an admin suspended (nothing is taken
-- from them or sent to them) or limited (their accounts reach only the
-- members who follow them). A block of a host covers its subdomains.
-- Rows from the config file (source 'config') are rewritten at every
-- start; the others are managed at runtime from the admin page or CLI.
CREATE TABLE domain_blocks (
    host       TEXT PRIMARY KEY,          -- lowercased host, or host:port
    level      TEXT NOT NULL CHECK (level IN ('suspend', 'limit')),
    reason     TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL CHECK (source IN ('config', 'admin')),
    actor_id   TEXT REFERENCES actors (id) ON DELETE SET NULL, -- the admin who blocked it
    created_at INTEGER NOT NULL
);

CREATE INDEX domain_blocks_actor ON domain_blocks (actor_id);
