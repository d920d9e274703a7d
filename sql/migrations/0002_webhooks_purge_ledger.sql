-- Webhook events, deletion requests and request counts in the run ledger.

-- Every Stripe event riskd accepted, once (deduplicated by id: Stripe delivers at least once).
-- processed_at stays NULL until a refresh has taken the event's account into account.
CREATE TABLE webhook_events (
    id           VARCHAR NOT NULL, -- evt_...
    type         VARCHAR NOT NULL,
    account_id   VARCHAR,          -- fca_... for Financial Connections account events
    created      TIMESTAMP NOT NULL,
    received_at  TIMESTAMP NOT NULL,
    processed_at TIMESTAMP
);

-- Accounts whose data was deleted on request. Only the id is kept, so that refreshes skip them.
CREATE TABLE purged_accounts (
    account_id VARCHAR NOT NULL,
    purged_at  TIMESTAMP NOT NULL
);

ALTER TABLE refresh_runs ADD COLUMN requests BIGINT DEFAULT 0; -- DuckDB 1.1 cannot add a NOT NULL column
ALTER TABLE refresh_runs ADD COLUMN retries BIGINT DEFAULT 0; -- DuckDB 1.1 cannot add a NOT NULL column
ALTER TABLE refresh_runs ADD COLUMN rate_limited BIGINT DEFAULT 0; -- DuckDB 1.1 cannot add a NOT NULL column
