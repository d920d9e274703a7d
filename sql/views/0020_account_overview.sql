-- One row per account: who holds it, what it permits, how fresh its data is, and its cash-flow
-- features as of the latest refresh. The starting point for analysts.
CREATE OR REPLACE VIEW account_overview AS
WITH txn AS (
    SELECT account_id, count(*) AS transactions, max(transacted_at) AS last_transacted_at
    FROM transactions WHERE status <> 'void' GROUP BY account_id
)
SELECT a.id                              AS account_id,
       a.customer_id,
       c.name                            AS customer_name,
       json_extract_string(c.metadata, '$.persona') AS persona,
       a.institution_name,
       a.last4,
       a.status,
       a.permissions,
       coalesce(txn.transactions, 0)     AS transactions,
       txn.last_transacted_at,
       f.balance_current_cents,
       f.balance_as_of,
       f.days_of_history,
       f.income_monthly_cents,
       f.income_frequency,
       f.nsf_count_90d,
       f.days_negative_90d,
       f.average_daily_cents_90d,
       a.observed_at                     AS last_refreshed_at
FROM accounts a
LEFT JOIN customers c ON c.id = a.customer_id
LEFT JOIN txn ON txn.account_id = a.id
LEFT JOIN cashflow_features((SELECT max(observed_at) FROM accounts)) f ON f.account_id = a.id;
