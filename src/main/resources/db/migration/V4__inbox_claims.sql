-- Workers claim stored webhooks in batches: one conditional UPDATE marks the batch with the worker's token.
ALTER TABLE dce_inbox ADD COLUMN claim_token VARCHAR(64);
CREATE INDEX dce_inbox_claim ON dce_inbox (claim_token);
