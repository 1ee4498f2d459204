-- The HTTP signature scheme each server last accepted from us, so that
-- after one retry ("double-knocking") it is signed for as it wants from the
-- first request on, across restarts: 'draft-cavage' or 'rfc9421', NULL
-- while unknown. signature_scheme_at is when it was learned.
ALTER TABLE hosts ADD COLUMN signature_scheme TEXT CHECK (signature_scheme IN ('draft-cavage', 'rfc9421'));
ALTER TABLE hosts ADD COLUMN signature_scheme_at INTEGER;
