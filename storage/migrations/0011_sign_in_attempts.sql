-- Sign-in attempts replace sign-in failures. An attempt is recorded
-- before its password is hashed, in the transaction that checks the
-- limits, so guesses sent at once cannot all pass the check; it counts
-- as a failure until the password proves right. Addresses are kept as
-- the network they limit: an IPv4 address, or an IPv6 address's /64.
-- A good sign-in is kept for a while, so that a member's own network
-- stays open to them while someone elsewhere guesses at their account.
CREATE TABLE sign_in_attempts (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL,
    network   TEXT NOT NULL,
    at        INTEGER NOT NULL,
    succeeded INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX sign_in_attempts_account ON sign_in_attempts (username, network, at);
CREATE INDEX sign_in_attempts_network ON sign_in_attempts (network, at);
CREATE INDEX sign_in_attempts_age ON sign_in_attempts (succeeded, at);

-- Failures still within their window keep counting.
INSERT INTO sign_in_attempts (username, network, at)
SELECT username, ip, at FROM sign_in_failures;

DROP TABLE sign_in_failures;
