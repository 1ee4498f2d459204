-- claimed_at marks a delivery or inbound activity a worker has taken and
-- not yet finished, so that a restarted process can take back at once
-- what the previous one held when it stopped.
ALTER TABLE deliveries ADD COLUMN claimed_at INTEGER;
ALTER TABLE inbox ADD COLUMN claimed_at INTEGER;
