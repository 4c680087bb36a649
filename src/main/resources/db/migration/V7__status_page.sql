-- The status page reads per-provider activity by hour from this small table instead of counting dce_calls: each
-- instance adds what it counted every dce.status.flush-ms, so it stays fast at any table size and sums across
-- instances. Freshness (the newest call per provider) and the reconciliation's day counts use the index below.
CREATE TABLE dce_activity (
    provider      VARCHAR(32)              NOT NULL,
    bucket_start  TIMESTAMP WITH TIME ZONE NOT NULL,
    webhooks      BIGINT                   NOT NULL DEFAULT 0,
    rows_written  BIGINT                   NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, bucket_start)
);

CREATE INDEX dce_calls_provider_start ON dce_calls (provider, call_start_time);
