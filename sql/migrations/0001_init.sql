-- riskd schema, version 1. Money is BIGINT cents; timestamps are TIMESTAMP in UTC.
-- Tables that grow with the portfolio (transactions, snapshots) carry no PRIMARY KEY: on DuckDB 1.1
-- an ART index makes bulk ingest 4-10x slower, so uniqueness is kept by the writer (staging plus
-- delete/insert inside one transaction per account batch).

CREATE TABLE customers (
    id                  VARCHAR NOT NULL,   -- cus_...
    email               VARCHAR,
    name                VARCHAR,
    phone               VARCHAR,
    address_line1       VARCHAR,
    address_line2       VARCHAR,
    address_city        VARCHAR,
    address_state       VARCHAR,
    address_postal_code VARCHAR,
    address_country     VARCHAR,
    metadata            JSON,               -- Stripe metadata, as sent
    created             TIMESTAMP NOT NULL, -- Stripe's creation time
    livemode            BOOLEAN NOT NULL,
    observed_at         TIMESTAMP NOT NULL  -- when riskd last read it
);

CREATE TABLE accounts (
    id                                VARCHAR NOT NULL, -- fca_...
    customer_id                       VARCHAR,          -- account_holder.customer
    institution_name                  VARCHAR,
    display_name                      VARCHAR,
    last4                             VARCHAR,
    category                          VARCHAR,          -- cash | credit | investment | other
    subcategory                       VARCHAR,
    status                            VARCHAR NOT NULL, -- active | inactive | disconnected
    permissions                       VARCHAR[] NOT NULL,
    subscriptions                     VARCHAR[] NOT NULL,
    supported_payment_method_types    VARCHAR[] NOT NULL,
    created                           TIMESTAMP NOT NULL,
    livemode                          BOOLEAN NOT NULL,
    balance_refresh_status            VARCHAR,          -- pending | succeeded | failed | NULL (never)
    balance_refresh_last_attempted_at TIMESTAMP,
    balance_next_refresh_at           TIMESTAMP,
    ownership_refresh_status          VARCHAR,
    ownership_refresh_last_attempted_at TIMESTAMP,
    ownership_id                      VARCHAR,          -- fcaowns_... of the latest stored snapshot
    transaction_refresh_id            VARCHAR,          -- fctxnref_... as last seen on the account
    transaction_refresh_status        VARCHAR,
    transaction_refresh_last_attempted_at TIMESTAMP,
    transaction_next_refresh_at       TIMESTAMP,
    transactions_cursor               VARCHAR,          -- last transaction refresh fully stored
    first_seen_at                     TIMESTAMP NOT NULL,
    observed_at                       TIMESTAMP NOT NULL
);

-- One row per observed balance; never overwritten.
CREATE TABLE balance_snapshots (
    account_id        VARCHAR NOT NULL,
    as_of             TIMESTAMP NOT NULL, -- balance.as_of: when the bank reported it
    type              VARCHAR NOT NULL,   -- cash | credit
    currency          VARCHAR NOT NULL,
    current_cents     BIGINT NOT NULL,    -- positive = owed to the holder
    available_cents   BIGINT,             -- cash accounts only
    credit_used_cents BIGINT,             -- credit accounts only
    observed_at       TIMESTAMP NOT NULL,
    run_id            BIGINT
);

-- Ownership history: one row per fcaowns_ snapshot, its owners below.
CREATE TABLE ownership_snapshots (
    id          VARCHAR NOT NULL, -- fcaowns_...
    account_id  VARCHAR NOT NULL,
    created     TIMESTAMP,
    observed_at TIMESTAMP NOT NULL,
    run_id      BIGINT
);

CREATE TABLE owners (
    id           VARCHAR NOT NULL, -- fcaown_...
    ownership_id VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    name         VARCHAR,
    email        VARCHAR,
    phone        VARCHAR,
    raw_address  VARCHAR,
    refreshed_at TIMESTAMP
);

-- One row per transaction id (latest version). amount_cents: + = money into the account.
-- category and counterparty are decided once at ingest (scoring/cashflow.Classify).
CREATE TABLE transactions (
    id                  VARCHAR NOT NULL, -- fctxn_...
    account_id          VARCHAR NOT NULL,
    amount_cents        BIGINT NOT NULL,
    currency            VARCHAR NOT NULL,
    description         VARCHAR NOT NULL,
    status              VARCHAR NOT NULL, -- pending | posted | void
    transacted_at       TIMESTAMP NOT NULL,
    posted_at           TIMESTAMP,
    void_at             TIMESTAMP,
    transaction_refresh VARCHAR NOT NULL, -- fctxnref_... that last created or updated the row
    updated             TIMESTAMP NOT NULL,
    category            VARCHAR NOT NULL,
    counterparty        VARCHAR NOT NULL,
    run_id              BIGINT
);

CREATE TABLE refresh_runs (
    id                 BIGINT NOT NULL,
    trigger            VARCHAR NOT NULL, -- startup | scheduled | manual | webhook
    started_at         TIMESTAMP NOT NULL,
    finished_at        TIMESTAMP,
    status             VARCHAR NOT NULL, -- running | succeeded | partial | failed
    accounts_total     INTEGER NOT NULL DEFAULT 0,
    accounts_succeeded INTEGER NOT NULL DEFAULT 0,
    accounts_failed    INTEGER NOT NULL DEFAULT 0,
    accounts_skipped   INTEGER NOT NULL DEFAULT 0,
    transactions       BIGINT NOT NULL DEFAULT 0,
    error              VARCHAR
);

-- Per account and feature: what a run did and why.
CREATE TABLE refresh_outcomes (
    run_id      BIGINT NOT NULL,
    account_id  VARCHAR NOT NULL,
    feature     VARCHAR NOT NULL, -- balance | ownership | transactions | account
    status      VARCHAR NOT NULL, -- succeeded | failed | skipped | unchanged
    reason      VARCHAR,          -- e.g. permission_missing, account_disconnected, refresh_failed
    rows        BIGINT NOT NULL DEFAULT 0,
    finished_at TIMESTAMP NOT NULL
);

-- Every decision served, with the features and reasons behind it.
CREATE TABLE decisions (
    id             VARCHAR NOT NULL,
    account_id     VARCHAR NOT NULL,
    as_of          TIMESTAMP NOT NULL,
    decided_at     TIMESTAMP NOT NULL,
    amount_cents   BIGINT,
    decision       VARCHAR NOT NULL, -- approve | review | decline
    score          INTEGER NOT NULL, -- 0-100, higher is safer
    reasons        VARCHAR[] NOT NULL,
    detail         JSON NOT NULL,    -- features, ownership results and reasons as served
    policy_version VARCHAR NOT NULL
);
