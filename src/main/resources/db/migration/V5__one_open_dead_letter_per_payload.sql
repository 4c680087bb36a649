-- Duplicates of one bad record, dead-lettered by two workers at the same moment, must count as one dead letter
-- (attempts + 1), not two. open_sha256 is the payload's hash while the letter is new and NULL once it is replayed or
-- discarded; NULLs are distinct in both databases, so only open letters are unique. Letters already doubled before
-- this migration keep the oldest one open.
ALTER TABLE dce_dead_letters ADD COLUMN open_sha256 VARCHAR(64);
UPDATE dce_dead_letters d SET open_sha256 = payload_sha256
    WHERE status = 'new' AND id = (SELECT MIN(o.id) FROM dce_dead_letters o
        WHERE o.provider = d.provider AND o.payload_sha256 = d.payload_sha256 AND o.status = 'new');
CREATE UNIQUE INDEX dce_dead_letters_open ON dce_dead_letters (provider, open_sha256);
