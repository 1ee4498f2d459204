-- An inbound activity signed by another server than its actor's (a reply
-- forwarded by the server of the post it answers) names that signer. Its
-- embedded object is not trusted: processing fetches the object from its
-- origin instead.
ALTER TABLE inbox ADD COLUMN forwarded_by TEXT NOT NULL DEFAULT '';
