-- The waiting list. A member's number in line is computed from the
-- pending members (oldest first), never stored, so it is right after
-- every admission and rejection. What is stored is how many the daily
-- admission let in on each UTC day, so that a restart, or the job
-- running twice, admits nobody twice.
CREATE TABLE waitlist_days (
    day      TEXT PRIMARY KEY,                          -- UTC, "2026-11-01"
    admitted INTEGER NOT NULL CHECK (admitted >= 0)
);

-- The line itself is read from members_status (status, id) of 0001.

