-- The digest of the record last merged into each row (mapped values and raw payload): a record read again with the
-- same digest is skipped without a statement. NULL (rows from before, or changed by a write-back or an enrichment)
-- means "merge whatever comes".
ALTER TABLE dce_calls ADD COLUMN source_hash VARCHAR(32);
