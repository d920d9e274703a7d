-- Cash-flow features, point in time. One definition serves the score endpoint, riskctl cashflow,
-- backtests and analysts:
--
--     SELECT * FROM cashflow_features(TIMESTAMP '2026-11-01 00:00:00');          -- every account
--     SELECT * FROM cashflow_features(TIMESTAMP '2026-11-01 00:00:00', only_account := 'fca_...');
--     SELECT * FROM cashflow_income_streams(TIMESTAMP '2026-11-01 00:00:00');    -- one row per stream
--     SELECT * FROM cashflow_daily_balances(now()::TIMESTAMP, only_account := 'fca_...');
--
-- cashflow_features joins two halves that can also be queried alone (the store runs them side by
-- side for one account, halving the latency of a lookup that is mostly planning):
-- cashflow_balance_features (end-of-day balances and what derives from them) and
-- cashflow_flow_features (history, income streams, NSF, debt, cash advances, flows). Both return
-- one row per account in accounts.
--
-- Definitions (normative, issue 5):
--   * Amounts are BIGINT cents; positive = money into the account.
--   * A day is a UTC date; a transaction's day is the date of transacted_at. "today" is the date
--     of as_of. The window is the 90 days before today: today - 90 .. today - 1.
--   * Only what was known at as_of counts: balance snapshots reported by as_of, and transactions
--     transacted by as_of that had posted by as_of (posted_at <= as_of). Pending and void
--     transactions never move a balance and never count in a feature. A transaction is judged by
--     its own dates (the store keeps its latest version, not when riskd first saw it): one posted
--     or voided after as_of was pending at as_of, and one the bank reported late but dated before
--     as_of counts from its dates.
--   * End-of-day balance of day d = the latest balance.current - the sum of the posted amounts
--     transacted after day d (through as_of). Every window day gets one, even before the first
--     transaction, so thin files are averaged over the full window as the definition reads.
--   * Income is a credit in an income_* category (payroll, benefits, pension, gig payouts), as
--     decided once at ingest by scoring/cashflow.Classify. Transfers, P2P, refunds, loan proceeds,
--     tax refunds, overdraft-protection transfers and deposits of unknown origin are other categories.
--     income_monthly_cents = income posted in the window x 30.4375 / 90, rounded half away from zero.
--   * nsf_count_90d counts posted fee_nsf debits in the window (a positive fee_nsf row is a fee
--     reversal and is not a fee); debt_monthly_installments_cents = loan_payment debits in the
--     window x 30.4375 / 90 (loan_payment excludes credit cards, which are credit_card_payment).
--
-- Income streams are the income deposits of one counterparty (the normalized payer name stored at
-- ingest). A stream's frequency is read from the gaps between its deposit days over the 180 days
-- before as_of (today included):
--   weekly       median gap 6-8 days and >= 75% of gaps 5-9
--   semimonthly  >= 4 deposit days, >= 90% of them near the 1st, the 15th or the month's end
--                (day 12-17, <= 3 or within 3 days of the last day, where paydays moved off
--                weekends and holidays land), median gap 12-18 and >= 75% of gaps 10-20
--   biweekly     median gap 13-15 and >= 75% of gaps 12-16
--   semimonthly  (otherwise) median gap 12-18 and >= 75% of gaps 10-20
--   monthly      median gap 26-35 and >= 75% of gaps 24-38
--   irregular    anything else, including a single deposit
-- income_frequency is the frequency of the largest stream by income in the window ('none' when
-- there is no income in the window).
--
-- Plan. cashflow_balance_features numbers the accounts, folds the posted rows of the last 180
-- days into one row per account number and day, gives each account one row per day from
-- today - 180 to today with its end-of-day balance from one running sum (integer keys
-- throughout: joining and sorting on ids cost more than the arithmetic), and aggregates them.
-- cashflow_flow_features reads every known row once for history and pending counts, the
-- window's posted rows once for counts and flows, and the income rows of the last 180 days once
-- per payer and day. Categories are compared as stored, never pattern-matched; aggregates take
-- CASE WHEN rather than FILTER (DuckDB 1.1 slices the whole input once per filtered aggregate);
-- and the plan is kept small, since a one-account lookup costs mostly the planning of its
-- operators, not its rows.
CREATE OR REPLACE MACRO cashflow_balance_features(as_of_ts, only_account := NULL) AS TABLE
WITH
-- k numbers the accounts: the join, the window and the aggregations below hash and sort integers
-- faster than ids. DuckDB evaluates this CTE once per use, so the numbering must not depend on
-- the order a parallel scan or join happens to produce rows in: it follows the account id.
acct AS (
    SELECT a.id AS account_id, row_number() OVER (ORDER BY a.id) AS k, a.permissions,
           b.balance_as_of, b.snap.current AS current_cents, b.snap.available AS available_cents
    FROM accounts a
    LEFT JOIN (
        SELECT account_id, max(as_of) AS balance_as_of,
               arg_max({'current': current_cents, 'available': available_cents}, as_of) AS snap
        FROM balance_snapshots
        WHERE as_of <= as_of_ts::TIMESTAMP AND (only_account IS NULL OR account_id = only_account)
        GROUP BY account_id
    ) b ON b.account_id = a.id
    WHERE only_account IS NULL OR a.id = only_account
),
-- The posted rows of today - 180 .. today folded into one row per account (by its number k) and
-- day: numbering first makes the group and the join below compare integers, not ids.
days AS (
    SELECT a.k, t.transacted_at::DATE AS d, sum(t.amount_cents) AS net,
           sum(CASE WHEN t.amount_cents > 0
                     AND t.category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig')
                    THEN t.amount_cents END) AS income
    FROM transactions t
    JOIN acct a ON a.account_id = t.account_id
    WHERE t.status = 'posted' AND t.transacted_at >= as_of_ts::DATE - 180 AND t.transacted_at <= as_of_ts::TIMESTAMP
      AND coalesce(t.posted_at, t.transacted_at) <= as_of_ts::TIMESTAMP
      AND (only_account IS NULL OR t.account_id = only_account)
    GROUP BY ALL
),
-- One row per account and day, today - 180 .. today. End of day d = current - what posted on
-- the days after d = current - (what posted on d and after - what posted on d): one running sum,
-- newest day first.
series AS (
    SELECT a.k, c.d, coalesce(t.net, 0) AS net, coalesce(t.income, 0) AS income,
           a.current_cents - (sum(coalesce(t.net, 0)) OVER (PARTITION BY a.k ORDER BY c.d DESC) - coalesce(t.net, 0)) AS eod,
           c.d >= as_of_ts::DATE - 90 AND c.d < as_of_ts::DATE AS w90
    FROM acct a
    CROSS JOIN (SELECT unnest(generate_series(as_of_ts::DATE - 180, as_of_ts::DATE, INTERVAL 1 DAY))::DATE AS d) c
    LEFT JOIN days t ON t.k = a.k AND t.d = c.d
),
stats AS (
    SELECT k,
           avg(CASE WHEN d >= as_of_ts::DATE - 30 AND d < as_of_ts::DATE THEN eod END) AS avg30,
           avg(CASE WHEN w90 THEN eod END)                               AS avg90,
           avg(CASE WHEN d < as_of_ts::DATE THEN eod END)                AS avg180,
           min(CASE WHEN w90 THEN eod END)                               AS min90,
           max(CASE WHEN w90 THEN eod END)                               AS max90,
           count(CASE WHEN w90 AND eod < 0 THEN 1 END)                   AS negative90,
           quantile_cont(CASE WHEN w90 THEN eod END, [0.1, 0.5, 0.9])    AS q90,
           stddev_pop(CASE WHEN w90 THEN eod END)                        AS sd90,
           -- the 181 days sorted after aggregation (cheaper than ORDER BY in it); the last is today
           list_sort(list({'d': d, 'eod': eod, 'net': net, 'income': income}))[1:180] AS days
    FROM series
    GROUP BY k
)
SELECT a.account_id,
       list_filter(['balances', 'transactions'], p -> NOT list_contains(a.permissions, p)) AS missing_permissions,
       a.balance_as_of IS NOT NULL                                           AS has_balance,
       a.balance_as_of,
       (date_diff('second', a.balance_as_of, as_of_ts::TIMESTAMP) // 86400)::INTEGER AS balance_age_days,
       a.current_cents                                                       AS balance_current_cents,
       a.available_cents                                                     AS balance_available_cents,
       round(s.avg30)::BIGINT                                                AS average_daily_cents_30d,
       round(s.avg90)::BIGINT                                                AS average_daily_cents_90d,
       round(s.avg180)::BIGINT                                               AS average_daily_cents_180d,
       s.min90::BIGINT                                                       AS min_cents_90d,
       s.max90::BIGINT                                                       AS max_cents_90d,
       CASE WHEN a.current_cents IS NOT NULL THEN s.negative90 END           AS days_negative_90d,
       round(s.q90[1])::BIGINT                                               AS balance_p10_cents_90d,
       round(s.q90[2])::BIGINT                                               AS balance_p50_cents_90d,
       round(s.q90[3])::BIGINT                                               AS balance_p90_cents_90d,
       round(s.sd90)::BIGINT                                                 AS balance_volatility_cents_90d,
       -- the 180 days before as_of, oldest first: end-of-day balance, posted net flow, income
       CASE WHEN a.current_cents IS NOT NULL THEN [x.eod FOR x IN s.days]::BIGINT[] END AS eod_balances_180d,
       [x.net FOR x IN s.days]::BIGINT[]                                     AS net_180d,
       [x.income FOR x IN s.days]::BIGINT[]                                  AS income_180d
FROM acct a
LEFT JOIN stats s ON s.k = a.k;

CREATE OR REPLACE MACRO cashflow_flow_features(as_of_ts, only_account := NULL) AS TABLE
WITH
-- Every row known at as_of (a row voided since was pending then): the first day, the last
-- income day, what is still pending.
history AS (
    SELECT account_id,
           min(transacted_at)::DATE                                                      AS first_day,
           max(CASE WHEN posted AND amount_cents > 0 AND category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig')
                    THEN transacted_at END)::DATE                                        AS last_income_day,
           count(CASE WHEN NOT posted THEN 1 END)                                        AS pending_n
    FROM (
        SELECT account_id, transacted_at, amount_cents, category,
               status = 'posted' AND coalesce(posted_at, transacted_at) <= as_of_ts::TIMESTAMP AS posted
        FROM transactions
        WHERE transacted_at <= as_of_ts::TIMESTAMP
          AND (status <> 'void' OR coalesce(void_at, transacted_at) > as_of_ts::TIMESTAMP) -- voided later: pending then
          AND (only_account IS NULL OR account_id = only_account)
    )
    GROUP BY account_id
),
-- The posted rows of the window: counts and flows.
flows AS (
    SELECT account_id,
           count(*)                                                                      AS posted_n,
           sum(CASE WHEN income THEN amount END)                                         AS income,
           count(CASE WHEN income THEN 1 END)                                            AS income_n,
           count(CASE WHEN amount < 0 AND category = 'fee_nsf' THEN 1 END)               AS nsf,
           -sum(CASE WHEN amount < 0 AND category = 'loan_payment' THEN amount END)      AS installments,
           -sum(CASE WHEN amount < 0 AND category = 'credit_card_payment' THEN amount END) AS card_payments,
           sum(CASE WHEN amount > 0 AND category = 'loan_proceeds' THEN amount END)      AS loan_proceeds,
           count(CASE WHEN category = 'cash_advance' THEN 1 END)                         AS cash_advance_n,
           sum(CASE WHEN amount > 0 AND category = 'cash_advance' THEN amount END)       AS cash_advance_in,
           sum(CASE WHEN amount > 0 THEN amount END)                                     AS inflow,
           -sum(CASE WHEN amount < 0 THEN amount END)                                    AS outflow,
           -sum(CASE WHEN amount < 0 AND category NOT IN ('transfer_own', 'overdraft_transfer')
                     THEN amount END)                                                    AS expenses,
           len(list_distinct(list(CASE WHEN amount < 0 AND category = 'loan_payment' THEN payer END))) AS lenders,
           len(list_distinct(list(CASE WHEN category = 'cash_advance' THEN payer END)))  AS apps
    FROM (
        SELECT account_id, amount_cents AS amount, category,
               amount_cents > 0 AND category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig') AS income,
               CASE WHEN category IN ('loan_payment', 'cash_advance')
                    THEN coalesce(nullif(counterparty, ''), upper(replace(category, '_', ' '))) END AS payer
        FROM transactions
        WHERE status = 'posted' AND transacted_at >= as_of_ts::DATE - 90 AND transacted_at < as_of_ts::DATE
          AND coalesce(posted_at, transacted_at) <= as_of_ts::TIMESTAMP
          AND (only_account IS NULL OR account_id = only_account)
    )
    GROUP BY account_id
),
-- Income streams: deposit days per payer over the 180 days before as_of and today.
stream_days AS (
    SELECT account_id, coalesce(nullif(counterparty, ''), upper(replace(category, '_', ' '))) AS stream,
           transacted_at::DATE AS d, sum(amount_cents) AS amount, count(*) AS n
    FROM transactions
    WHERE status = 'posted' AND amount_cents > 0 AND category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig')
      AND transacted_at >= as_of_ts::DATE - 180 AND transacted_at <= as_of_ts::TIMESTAMP
      AND coalesce(posted_at, transacted_at) <= as_of_ts::TIMESTAMP
      AND (only_account IS NULL OR account_id = only_account)
    GROUP BY ALL
),
stream_stats AS (
    SELECT account_id, stream,
           coalesce(sum(CASE WHEN w90 THEN amount END), 0)                          AS total_90d,
           coalesce(sum(CASE WHEN w90 THEN n END), 0)                               AS count_90d,
           max(d)                                                                   AS last_date,
           count(*)                                                                 AS days_n,
           count(gap)                                                               AS gaps_n,
           median(gap)                                                              AS median_gap,
           avg((gap BETWEEN 5 AND 9)::INTEGER)                                      AS share_weekly,
           avg((gap BETWEEN 12 AND 16)::INTEGER)                                    AS share_biweekly,
           avg((gap BETWEEN 10 AND 20)::INTEGER)                                    AS share_semimonthly,
           avg((gap BETWEEN 24 AND 38)::INTEGER)                                    AS share_monthly,
           avg((day(d) BETWEEN 12 AND 17 OR day(d) <= 3 OR day(d) >= day(last_day(d)) - 3)::INTEGER) AS share_anchor,
           median(CASE WHEN w90 THEN amount END)                                    AS median_amount,
           stddev_pop(CASE WHEN w90 THEN amount END) / avg(CASE WHEN w90 THEN amount END) AS amount_cv,
           stddev_pop(gap) / avg(gap)                                               AS interval_cv
    FROM (SELECT *, d - lag(d) OVER (PARTITION BY account_id, stream ORDER BY d) AS gap,
                 d >= as_of_ts::DATE - 90 AND d < as_of_ts::DATE AS w90
          FROM stream_days)
    GROUP BY account_id, stream
),
stream_list AS (
    SELECT account_id,
           list({'name': stream,
                 'frequency': frequency,
                 'monthly_cents': round(total_90d * 30.4375 / 90)::BIGINT,
                 'count': count_90d::INTEGER,
                 'last_date': last_date,
                 'next_expected_date': CASE frequency
                     WHEN 'weekly' THEN last_date + 7
                     WHEN 'biweekly' THEN last_date + 14
                     WHEN 'monthly' THEN (last_date + INTERVAL 1 MONTH)::DATE
                     ELSE last_date + round(median_gap)::INTEGER END,
                 'median_amount_cents': round(median_amount)::BIGINT,
                 'amount_cv': round(amount_cv, 4),
                 'interval_cv': round(interval_cv, 4),
                 'interval_days': median_gap}
                ORDER BY total_90d DESC, count_90d DESC, stream) AS streams
    FROM (
        SELECT *,
               CASE
                   WHEN gaps_n = 0 THEN 'irregular'
                   WHEN median_gap BETWEEN 6 AND 8 AND share_weekly >= 0.75 THEN 'weekly'
                   WHEN days_n >= 4 AND share_anchor >= 0.9 AND median_gap BETWEEN 12 AND 18
                        AND share_semimonthly >= 0.75 THEN 'semimonthly'
                   WHEN median_gap BETWEEN 13 AND 15 AND share_biweekly >= 0.75 THEN 'biweekly'
                   WHEN median_gap BETWEEN 12 AND 18 AND share_semimonthly >= 0.75 THEN 'semimonthly'
                   WHEN median_gap BETWEEN 26 AND 35 AND share_monthly >= 0.75 THEN 'monthly'
                   ELSE 'irregular'
               END AS frequency
        FROM stream_stats
        WHERE count_90d > 0
    )
    GROUP BY account_id
)
SELECT a.id                                                                  AS account_id,
       h.first_day IS NOT NULL                                               AS has_transactions,
       coalesce(as_of_ts::DATE - h.first_day, 0)::INTEGER                    AS days_of_history,
       coalesce(f.posted_n, 0)                                               AS transactions_90d,
       coalesce(h.pending_n, 0)                                              AS pending_count,
       round(coalesce(f.income, 0) * 30.4375 / 90)::BIGINT                   AS income_monthly_cents,
       CASE WHEN coalesce(f.income, 0) = 0 THEN 'none'
            ELSE coalesce(sl.streams[1].frequency, 'irregular') END          AS income_frequency,
       coalesce(f.income_n, 0)                                               AS income_count_90d,
       (as_of_ts::DATE - h.last_income_day)::INTEGER                         AS days_since_last_income,
       sl.streams                                                            AS income_streams,
       coalesce(f.nsf, 0)                                                    AS nsf_count_90d,
       round(coalesce(f.installments, 0) * 30.4375 / 90)::BIGINT             AS debt_monthly_installments_cents,
       coalesce(f.lenders, 0)                                                AS debt_lenders_90d,
       round(coalesce(f.card_payments, 0) * 30.4375 / 90)::BIGINT            AS debt_card_payments_monthly_cents,
       coalesce(f.loan_proceeds, 0)::BIGINT                                  AS debt_loan_proceeds_cents_90d,
       coalesce(f.cash_advance_n, 0)                                         AS cash_advance_count_90d,
       coalesce(f.apps, 0)                                                   AS cash_advance_apps_90d,
       coalesce(f.cash_advance_in, 0)::BIGINT                                AS cash_advance_inflow_cents_90d,
       coalesce(f.inflow, 0)::BIGINT                                         AS inflow_cents_90d,
       coalesce(f.outflow, 0)::BIGINT                                        AS outflow_cents_90d,
       coalesce(f.expenses, 0)::BIGINT                                       AS expense_cents_90d,
       (f.inflow / nullif(f.outflow, 0))::DOUBLE                             AS inflow_outflow_ratio,
       (f.expenses / nullif(f.income, 0))::DOUBLE                            AS expense_to_income
FROM accounts a
LEFT JOIN history h      ON h.account_id = a.id
LEFT JOIN flows f        ON f.account_id = a.id
LEFT JOIN stream_list sl ON sl.account_id = a.id
WHERE only_account IS NULL OR a.id = only_account;

CREATE OR REPLACE MACRO cashflow_features(as_of_ts, only_account := NULL) AS TABLE
SELECT b.account_id, as_of_ts::TIMESTAMP AS as_of, f.* EXCLUDE (account_id), b.* EXCLUDE (account_id)
FROM cashflow_balance_features(as_of_ts, only_account := only_account) b
JOIN cashflow_flow_features(as_of_ts, only_account := only_account) f USING (account_id);

-- One row per income stream with income in the window, largest first: the income_streams of
-- cashflow_features as a table.
CREATE OR REPLACE MACRO cashflow_income_streams(as_of_ts, only_account := NULL) AS TABLE
SELECT account_id, as_of_ts::TIMESTAMP AS as_of, s.*
FROM (SELECT account_id, unnest(income_streams) AS s
      FROM cashflow_flow_features(as_of_ts, only_account := only_account));

-- The 180 days before as_of, one row per account and day, as cashflow_features computes them:
-- end-of-day balance (NULL when no balance was reported by as_of), posted net flow and income.
CREATE OR REPLACE MACRO cashflow_daily_balances(as_of_ts, only_account := NULL) AS TABLE
SELECT account_id, as_of_ts::TIMESTAMP AS as_of,
       as_of_ts::DATE - 181 + i::INTEGER AS day,
       eod_balances_180d[i]              AS balance_cents,
       net_180d[i]                       AS net_cents,
       income_180d[i]                    AS income_cents
FROM (SELECT account_id, eod_balances_180d, net_180d, income_180d, unnest(range(1, 181)) AS i
      FROM cashflow_balance_features(as_of_ts, only_account := only_account));
