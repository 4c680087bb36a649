-- The tracker's source (e.g. google_paid), copied into calls as publisher_name by enrichment.
ALTER TABLE dce_tracking_numbers ADD COLUMN source_name VARCHAR(1000);
