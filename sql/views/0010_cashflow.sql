-- Cash-flow features, point in time. One definition serves the score endpoint, riskctl and
-- analysts:   SELECT * FROM cashflow_features(TIMESTAMP '2026-11-01 00:00:00');
--             SELECT * FROM cashflow_features(now()::TIMESTAMP, 'fca_...');
-- Amounts are cents (+ = money in). A day is a UTC date; the window is the 90 days before the
-- date of as_of. Only what was known at as_of counts: balances reported by then and transactions
-- posted by then. Void and pending rows never move a balance. Categories come from ingest
-- (scoring/cashflow.Classify), never from ILIKE scans.
CREATE OR REPLACE MACRO cashflow_features(as_of_ts, only_account := NULL) AS TABLE
WITH params AS (
    SELECT as_of_ts::TIMESTAMP AS ts, as_of_ts::DATE AS today, as_of_ts::DATE - 90 AS win_start
),
posted AS (
    SELECT t.account_id, t.transacted_at::DATE AS day, t.amount_cents, t.category, t.counterparty
    FROM transactions t, params p
    WHERE t.status = 'posted' AND coalesce(t.posted_at, t.transacted_at) <= p.ts
      AND (only_account IS NULL OR t.account_id = only_account)
),
bal AS (
    SELECT b.account_id,
           arg_max(b.current_cents, b.as_of)   AS current_cents,
           arg_max(b.available_cents, b.as_of) AS available_cents,
           max(b.as_of)                        AS balance_as_of
    FROM balance_snapshots b, params p
    WHERE b.as_of <= p.ts AND (only_account IS NULL OR b.account_id = only_account)
    GROUP BY b.account_id
),
history AS (
    SELECT t.account_id, min(t.transacted_at::DATE) AS first_day
    FROM transactions t, params p
    WHERE t.transacted_at <= p.ts AND t.status <> 'void' AND (only_account IS NULL OR t.account_id = only_account)
    GROUP BY t.account_id
),
-- End-of-day balance of day d = current balance - sum of posted amounts transacted after d.
daily AS (
    SELECT account_id, day, sum(amount_cents) AS net FROM posted GROUP BY ALL
    UNION ALL
    SELECT b.account_id, unnest(generate_series(p.win_start, p.today - 1, INTERVAL 1 DAY))::DATE, 0
    FROM bal b, params p
),
running AS (
    SELECT account_id, day,
           sum(sum(net)) OVER (PARTITION BY account_id ORDER BY day) AS through_day,
           sum(sum(net)) OVER (PARTITION BY account_id)              AS total
    FROM daily GROUP BY account_id, day
),
eod AS (
    SELECT r.account_id, r.day, b.current_cents - (r.total - r.through_day) AS eod_cents
    FROM running r JOIN bal b USING (account_id), params p
    WHERE r.day >= p.win_start AND r.day < p.today
),
eod_stats AS (
    SELECT account_id,
           round(avg(eod_cents))::BIGINT             AS average_daily_cents_90d,
           min(eod_cents)::BIGINT                    AS min_cents_90d,
           count(*) FILTER (WHERE eod_cents < 0)     AS days_negative_90d
    FROM eod GROUP BY account_id
),
win AS (
    SELECT w.* FROM posted w, params p WHERE w.day >= p.win_start AND w.day < p.today
),
flows AS (
    SELECT account_id,
           coalesce(sum(amount_cents) FILTER (WHERE amount_cents > 0 AND category IN
               ('income_payroll', 'income_benefits', 'income_pension', 'income_gig')), 0)     AS income_90d,
           count(*) FILTER (WHERE amount_cents > 0 AND category IN
               ('income_payroll', 'income_benefits', 'income_pension', 'income_gig'))         AS income_count_90d,
           count(*) FILTER (WHERE category = 'fee_nsf' AND amount_cents < 0)                   AS nsf_count_90d,
           coalesce(-sum(amount_cents) FILTER (WHERE category = 'loan_payment' AND amount_cents < 0), 0) AS installments_90d,
           count(*) FILTER (WHERE category = 'cash_advance')                                   AS cash_advance_count_90d,
           coalesce(sum(amount_cents) FILTER (WHERE amount_cents > 0), 0)                      AS inflow_90d,
           coalesce(-sum(amount_cents) FILTER (WHERE amount_cents < 0), 0)                     AS outflow_90d
    FROM win GROUP BY account_id
),
last_income AS (
    SELECT account_id, max(day) AS last_day
    FROM posted, params p
    WHERE amount_cents > 0 AND category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig')
      AND day < p.today
    GROUP BY account_id
),
-- Income streams: income deposits grouped by counterparty; frequency from the gaps between days.
stream_days AS (
    SELECT account_id, counterparty, day, sum(amount_cents) AS amount_cents
    FROM win WHERE amount_cents > 0 AND category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig')
    GROUP BY ALL
),
gaps AS (
    SELECT *, day - lag(day) OVER (PARTITION BY account_id, counterparty ORDER BY day) AS gap FROM stream_days
),
streams AS (
    SELECT account_id, counterparty, sum(amount_cents) AS total_cents, count(*) AS deposits,
           median(gap) AS median_gap,
           avg(CASE WHEN gap = 14 THEN 1 ELSE 0 END) FILTER (WHERE gap IS NOT NULL) AS share_14,
           avg(CASE WHEN gap BETWEEN 6 AND 8 THEN 1 ELSE 0 END) FILTER (WHERE gap IS NOT NULL) AS share_weekly
    FROM gaps GROUP BY account_id, counterparty
),
top_stream AS (
    SELECT account_id,
           arg_max(CASE
               WHEN deposits < 2 THEN 'irregular'
               WHEN median_gap BETWEEN 6 AND 8 AND share_weekly >= 0.75 THEN 'weekly'
               WHEN median_gap BETWEEN 13 AND 15 AND share_14 >= 0.7 THEN 'biweekly'
               WHEN median_gap BETWEEN 12 AND 18 THEN 'semimonthly'
               WHEN median_gap BETWEEN 26 AND 35 THEN 'monthly'
               ELSE 'irregular' END, total_cents) AS frequency
    FROM streams GROUP BY account_id
)
SELECT a.id                                                  AS account_id,
       p.ts                                                  AS as_of,
       coalesce(p.today - h.first_day, 0)::INTEGER           AS days_of_history,
       h.first_day IS NOT NULL                               AS has_transactions,
       b.balance_as_of,
       b.current_cents                                       AS balance_current_cents,
       b.available_cents                                     AS balance_available_cents,
       coalesce(e.average_daily_cents_90d, b.current_cents)  AS average_daily_cents_90d,
       coalesce(e.min_cents_90d, b.current_cents)            AS min_cents_90d,
       coalesce(e.days_negative_90d, 0)::INTEGER             AS days_negative_90d,
       round(coalesce(f.income_90d, 0) * 30.4375 / 90)::BIGINT AS income_monthly_cents,
       CASE WHEN coalesce(f.income_90d, 0) = 0 THEN 'none' ELSE coalesce(s.frequency, 'irregular') END AS income_frequency,
       coalesce(f.income_count_90d, 0)::INTEGER              AS income_count_90d,
       coalesce(p.today - li.last_day, -1)::INTEGER          AS days_since_last_income,
       coalesce(f.nsf_count_90d, 0)::INTEGER                 AS nsf_count_90d,
       round(coalesce(f.installments_90d, 0) * 30.4375 / 90)::BIGINT AS installment_monthly_cents,
       coalesce(f.cash_advance_count_90d, 0)::INTEGER        AS cash_advance_count_90d,
       coalesce(f.inflow_90d, 0)::BIGINT                     AS inflow_cents_90d,
       coalesce(f.outflow_90d, 0)::BIGINT                    AS outflow_cents_90d
FROM accounts a
CROSS JOIN params p
LEFT JOIN history h     ON h.account_id = a.id
LEFT JOIN bal b         ON b.account_id = a.id
LEFT JOIN eod_stats e   ON e.account_id = a.id
LEFT JOIN flows f       ON f.account_id = a.id
LEFT JOIN last_income li ON li.account_id = a.id
LEFT JOIN top_stream s  ON s.account_id = a.id
WHERE only_account IS NULL OR a.id = only_account;
