-- Cash-flow features, point in time. One definition serves the score endpoint, riskctl cashflow,
-- backtests and analysts:
--
--     SELECT * FROM cashflow_features(TIMESTAMP '2026-11-01 00:00:00');          -- every account
--     SELECT * FROM cashflow_features(TIMESTAMP '2026-11-01 00:00:00', only_account := 'fca_...');
--     SELECT * FROM cashflow_income_streams(TIMESTAMP '2026-11-01 00:00:00');    -- one row per stream
--     SELECT * FROM cashflow_daily_balances(now()::TIMESTAMP, only_account := 'fca_...');
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
-- Plan. cashflow_features joins two halves that can also be queried alone (the store runs them
-- side by side for one account, halving the latency of a lookup that is mostly planning), each
-- one row per account in accounts:
--   cashflow_posted_features   what posted in the last 180 days: end-of-day balances and what
--                              derives from them, flows, NSF, debt, cash advances, period sums.
--                              It folds those rows once per account, 30-day period, category,
--                              direction and payer (for every sum but the balances), and once
--                              per account and day of the window with activity, which a running
--                              sum turns into end-of-day balances that hold until the next such
--                              day.
--   cashflow_history_features  every row known at as_of once (history, pending) and the income
--                              rows once per payer and day (last income day; streams from
--                              those of the last 180 days).
-- Accounts are grouped by their number (transactions.account_no), not their id: reading and
-- hashing an INTEGER costs a fraction of a 28-byte string. Categories are compared as stored,
-- never pattern-matched; aggregates take CASE WHEN rather than FILTER (DuckDB 1.1 slices the
-- whole input once per filtered aggregate); sums of many rows are folded before they are split
-- into many CASE sums; lists are sorted after aggregation (list_sort), not by an ORDER BY inside
-- them; and the plan is kept small, since a one-account lookup costs mostly the planning of its
-- operators, not its rows.

-- Before 2026-11-26 the halves were cashflow_balance_features and cashflow_flow_features.
DROP MACRO TABLE IF EXISTS cashflow_balance_features;
DROP MACRO TABLE IF EXISTS cashflow_flow_features;

-- The accounts (one row each, with k their number: accounts.no, transactions.account_no) and the
-- latest balance reported by as_of.
CREATE OR REPLACE MACRO cashflow_accounts(as_of_ts, only_account := NULL) AS TABLE
SELECT a.id AS account_id, a.no AS k, a.permissions,
       b.balance_as_of, b.snap.current AS current_cents, b.snap.available AS available_cents
FROM accounts a
LEFT JOIN (
    SELECT account_id, max(as_of) AS balance_as_of,
           arg_max({'current': current_cents, 'available': available_cents}, as_of) AS snap
    FROM balance_snapshots
    WHERE as_of <= as_of_ts::TIMESTAMP AND (only_account IS NULL OR account_id = only_account)
    GROUP BY account_id
) b ON b.account_id = a.id
WHERE only_account IS NULL OR a.id = only_account;

-- The transactions of as_of's date and the days_before days before it that had posted by
-- as_of: the rows every balance and flow counts.
CREATE OR REPLACE MACRO cashflow_posted_rows(as_of_ts, days_before, only_account := NULL) AS TABLE
SELECT * FROM transactions
WHERE transacted_at >= as_of_ts::DATE - days_before AND transacted_at <= as_of_ts::TIMESTAMP
  AND status = 'posted' AND coalesce(posted_at, transacted_at) <= as_of_ts::TIMESTAMP
  AND (only_account IS NULL OR account_id = only_account);

-- Balances, flows, NSF, debt, cash advances and 30-day period sums: what posted in the 180 days
-- before as_of (and today).
CREATE OR REPLACE MACRO cashflow_posted_features(as_of_ts, only_account := NULL) AS TABLE
WITH
acct AS (SELECT * FROM cashflow_accounts(as_of_ts, only_account := only_account)),
-- The posted rows of today - 180 .. today folded per account, 30-day period (0 .. 5 before
-- today, the window being 3 .. 5, and 6 for today), category, direction and, for lenders and
-- cash-advance apps, payer. weighted sums each amount times the number of the 180 days before
-- today that end before its day: the 180 end-of-day balances sum to 180 x current - weighted,
-- so their average needs no daily series.
posted AS (
    SELECT account_no AS k, (transacted_at::DATE - (as_of_ts::DATE - 180)) // 30 AS period,
           category, amount_cents > 0 AS credit,
           CASE WHEN category IN ('loan_payment', 'cash_advance')
                THEN coalesce(nullif(counterparty, ''), upper(replace(category, '_', ' '))) END AS payer,
           count(*) AS n, sum(amount_cents)::BIGINT AS amount,
           sum(amount_cents * (transacted_at::DATE - (as_of_ts::DATE - 180)))::BIGINT AS weighted
    FROM cashflow_posted_rows(as_of_ts, 180, only_account := only_account)
    GROUP BY ALL
),
flows AS (
    SELECT k,
           sum(weighted)                                                                 AS weighted,
           [sum(CASE WHEN period = 0 THEN amount ELSE 0 END), sum(CASE WHEN period = 1 THEN amount ELSE 0 END),
            sum(CASE WHEN period = 2 THEN amount ELSE 0 END), sum(CASE WHEN period = 3 THEN amount ELSE 0 END),
            sum(CASE WHEN period = 4 THEN amount ELSE 0 END), sum(CASE WHEN period = 5 THEN amount ELSE 0 END)]::BIGINT[] AS net_periods,
           [sum(CASE WHEN income AND period = 0 THEN amount ELSE 0 END), sum(CASE WHEN income AND period = 1 THEN amount ELSE 0 END),
            sum(CASE WHEN income AND period = 2 THEN amount ELSE 0 END), sum(CASE WHEN income AND period = 3 THEN amount ELSE 0 END),
            sum(CASE WHEN income AND period = 4 THEN amount ELSE 0 END), sum(CASE WHEN income AND period = 5 THEN amount ELSE 0 END)]::BIGINT[] AS income_periods,
           -- the window
           sum(CASE WHEN w90 THEN n END)                                                 AS posted_n,
           sum(CASE WHEN w90 AND income THEN amount END)                                 AS income,
           sum(CASE WHEN w90 AND income THEN n END)                                      AS income_n,
           sum(CASE WHEN w90 AND NOT credit AND category = 'fee_nsf' THEN n END)         AS nsf,
           -sum(CASE WHEN w90 AND NOT credit AND category = 'loan_payment' THEN amount END) AS installments,
           -sum(CASE WHEN w90 AND NOT credit AND category = 'credit_card_payment' THEN amount END) AS card_payments,
           sum(CASE WHEN w90 AND credit AND category = 'loan_proceeds' THEN amount END)  AS loan_proceeds,
           sum(CASE WHEN w90 AND category = 'cash_advance' THEN n END)                   AS cash_advance_n,
           sum(CASE WHEN w90 AND credit AND category = 'cash_advance' THEN amount END)   AS cash_advance_in,
           sum(CASE WHEN w90 AND credit THEN amount END)                                 AS inflow,
           -sum(CASE WHEN w90 AND NOT credit THEN amount END)                            AS outflow,
           -sum(CASE WHEN w90 AND NOT credit AND category NOT IN ('transfer_own', 'overdraft_transfer')
                     THEN amount END)                                                    AS expenses,
           count(DISTINCT CASE WHEN w90 AND NOT credit AND category = 'loan_payment' THEN payer END) AS lenders,
           count(DISTINCT CASE WHEN w90 AND category = 'cash_advance' THEN payer END)    AS apps
    FROM (SELECT *, period BETWEEN 3 AND 5 AS w90, credit AND category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig') AS income
          FROM posted)
    GROUP BY k
),
-- The days of the window and today (today - 90 .. today) on which anything posted, one row per
-- account and day, and for every account the day before the window with nothing.
days AS (
    SELECT account_no AS k, transacted_at::DATE AS d, sum(amount_cents)::BIGINT AS net
    FROM cashflow_posted_rows(as_of_ts, 90, only_account := only_account)
    GROUP BY ALL
    UNION ALL
    SELECT k, as_of_ts::DATE - 91, 0 FROM acct
),
-- A day's end-of-day balance is current - what posted after it (one running sum, newest day
-- first), and it holds until the next day anything posted (the day before the window, until
-- the window's first such day): runs of days [first, until).
runs AS MATERIALIZED (
    SELECT t.k, greatest(t.d, as_of_ts::DATE - 90) AS first,
           coalesce(lag(t.d) OVER w, as_of_ts::DATE) AS until,
           (a.current_cents - (sum(t.net) OVER w - t.net))::BIGINT AS eod
    FROM days t JOIN acct a ON a.k = t.k
    WINDOW w AS (PARTITION BY t.k ORDER BY t.d DESC)
),
-- One row per account and window day: a run of one day as it is, longer ones unnested.
series AS (
    SELECT k, first AS d, eod FROM runs WHERE until = first + 1
    UNION ALL
    SELECT k, unnest(generate_series(first, until - 1, INTERVAL 1 DAY))::DATE, eod FROM runs WHERE until > first + 1
),
stats AS (
    SELECT k,
           avg(CASE WHEN d >= as_of_ts::DATE - 30 THEN eod END) AS avg30,
           avg(eod)                                             AS avg90,
           min(eod)                                             AS min90,
           max(eod)                                             AS max90,
           count(CASE WHEN eod < 0 THEN 1 END)                  AS negative90,
           quantile_cont(eod, [0.1, 0.5, 0.9])                  AS q90,
           stddev_pop(eod)                                      AS sd90
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
       round(a.current_cents - coalesce(f.weighted, 0) / 180)::BIGINT        AS average_daily_cents_180d,
       s.min90::BIGINT                                                       AS min_cents_90d,
       s.max90::BIGINT                                                       AS max_cents_90d,
       CASE WHEN a.current_cents IS NOT NULL THEN s.negative90 END           AS days_negative_90d,
       round(s.q90[1])::BIGINT                                               AS balance_p10_cents_90d,
       round(s.q90[2])::BIGINT                                               AS balance_p50_cents_90d,
       round(s.q90[3])::BIGINT                                               AS balance_p90_cents_90d,
       round(s.sd90)::BIGINT                                                 AS balance_volatility_cents_90d,
       coalesce(f.posted_n, 0)::BIGINT                                       AS transactions_90d,
       round(coalesce(f.income, 0) * 30.4375 / 90)::BIGINT                   AS income_monthly_cents,
       coalesce(f.income_n, 0)::BIGINT                                       AS income_count_90d,
       coalesce(f.nsf, 0)::BIGINT                                            AS nsf_count_90d,
       round(coalesce(f.installments, 0) * 30.4375 / 90)::BIGINT             AS debt_monthly_installments_cents,
       coalesce(f.lenders, 0)                                                AS debt_lenders_90d,
       round(coalesce(f.card_payments, 0) * 30.4375 / 90)::BIGINT            AS debt_card_payments_monthly_cents,
       coalesce(f.loan_proceeds, 0)::BIGINT                                  AS debt_loan_proceeds_cents_90d,
       coalesce(f.cash_advance_n, 0)::BIGINT                                 AS cash_advance_count_90d,
       coalesce(f.apps, 0)                                                   AS cash_advance_apps_90d,
       coalesce(f.cash_advance_in, 0)::BIGINT                                AS cash_advance_inflow_cents_90d,
       coalesce(f.inflow, 0)::BIGINT                                         AS inflow_cents_90d,
       coalesce(f.outflow, 0)::BIGINT                                        AS outflow_cents_90d,
       coalesce(f.expenses, 0)::BIGINT                                       AS expense_cents_90d,
       (f.inflow / nullif(f.outflow, 0))::DOUBLE                             AS inflow_outflow_ratio,
       (f.expenses / nullif(f.income, 0))::DOUBLE                            AS expense_to_income,
       -- six 30-day periods before as_of, oldest first (the last is today - 30 .. today - 1)
       coalesce(f.net_periods, [0, 0, 0, 0, 0, 0])                           AS net_by_period_cents,
       coalesce(f.income_periods, [0, 0, 0, 0, 0, 0])                        AS income_by_period_cents
FROM acct a
LEFT JOIN stats s ON s.k = a.k
LEFT JOIN flows f ON f.k = a.k;

-- History, pending rows and income streams: every row known at as_of, and the income of the 180
-- days before it.
CREATE OR REPLACE MACRO cashflow_history_features(as_of_ts, only_account := NULL) AS TABLE
WITH
-- The income deposits posted by as_of, all of them once, per payer and day.
income_days AS MATERIALIZED (
    SELECT account_no AS k, coalesce(nullif(counterparty, ''), upper(replace(category, '_', ' '))) AS stream,
           transacted_at::DATE AS d, sum(amount_cents) AS amount, count(*) AS n
    FROM transactions
    WHERE amount_cents > 0 AND category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig')
      AND status = 'posted' AND transacted_at <= as_of_ts::TIMESTAMP AND coalesce(posted_at, transacted_at) <= as_of_ts::TIMESTAMP
      AND (only_account IS NULL OR account_id = only_account)
    GROUP BY ALL
),
-- Every row known at as_of (a row voided since was pending then): the first day, what is still
-- pending.
history AS (
    SELECT account_no AS k,
           min(transacted_at)::DATE                                                      AS first_day,
           count(CASE WHEN status <> 'posted' OR posted_at > as_of_ts::TIMESTAMP THEN 1 END) AS pending_n
    FROM transactions
    WHERE transacted_at <= as_of_ts::TIMESTAMP
      AND (status <> 'void' OR coalesce(void_at, transacted_at) > as_of_ts::TIMESTAMP) -- voided later: pending then
      AND (only_account IS NULL OR account_id = only_account)
    GROUP BY account_no
),
last_income AS (SELECT k, max(d) AS last_income_day FROM income_days GROUP BY k),
-- Income streams: deposit days per payer over the 180 days before as_of and today.
stream_days AS (SELECT * FROM income_days WHERE d >= as_of_ts::DATE - 180),
stream_stats AS (
    SELECT k, stream,
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
    FROM (SELECT *, d - lag(d) OVER (PARTITION BY k, stream ORDER BY d) AS gap,
                 d >= as_of_ts::DATE - 90 AND d < as_of_ts::DATE AS w90
          FROM stream_days)
    GROUP BY k, stream
),
stream_list AS (
    -- Largest first. list_sort orders structs field by field, so each stream is keyed by its
    -- income and count negated, then its name (an ORDER BY inside list() sorts every group apart
    -- and costs more than the rest of the streams together).
    SELECT k,
           [x.stream FOR x IN list_sort(list({
               'income': -total_90d, 'count': -count_90d, 'name': stream,
               'stream': {'name': stream,
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
                    'interval_days': median_gap}}))] AS streams
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
    GROUP BY k
)
SELECT a.id                                                                  AS account_id,
       h.first_day IS NOT NULL                                               AS has_transactions,
       coalesce(as_of_ts::DATE - h.first_day, 0)::INTEGER                    AS days_of_history,
       coalesce(h.pending_n, 0)                                              AS pending_count,
       -- a stream is listed when it paid in the window, so there is one exactly when there is income
       coalesce(sl.streams[1].frequency, 'none')                             AS income_frequency,
       (as_of_ts::DATE - li.last_income_day)::INTEGER                        AS days_since_last_income,
       sl.streams                                                            AS income_streams
FROM accounts a
LEFT JOIN history h      ON h.k = a.no
LEFT JOIN last_income li ON li.k = a.no
LEFT JOIN stream_list sl ON sl.k = a.no
WHERE only_account IS NULL OR a.id = only_account;

CREATE OR REPLACE MACRO cashflow_features(as_of_ts, only_account := NULL) AS TABLE
SELECT p.account_id, as_of_ts::TIMESTAMP AS as_of, h.* EXCLUDE (account_id), p.* EXCLUDE (account_id)
FROM cashflow_posted_features(as_of_ts, only_account := only_account) p
JOIN cashflow_history_features(as_of_ts, only_account := only_account) h USING (account_id);

-- One row per income stream with income in the window, largest first: the income_streams of
-- cashflow_features as a table.
CREATE OR REPLACE MACRO cashflow_income_streams(as_of_ts, only_account := NULL) AS TABLE
SELECT account_id, as_of_ts::TIMESTAMP AS as_of, s.*
FROM (SELECT account_id, unnest(income_streams) AS s
      FROM cashflow_history_features(as_of_ts, only_account := only_account));

-- The 180 days before as_of (today - 180 .. today - 1), one row per account and day: end-of-day
-- balance (NULL when no balance was reported by as_of), posted net flow and income. The
-- debit forecast reads them; the window's balances are those cashflow_posted_features sums up.
CREATE OR REPLACE MACRO cashflow_daily_balances(as_of_ts, only_account := NULL) AS TABLE
WITH
days AS (
    SELECT account_no AS k, transacted_at::DATE AS d, sum(amount_cents)::BIGINT AS net,
           sum(CASE WHEN amount_cents > 0 AND category IN ('income_payroll', 'income_benefits', 'income_pension', 'income_gig')
                    THEN amount_cents ELSE 0 END)::BIGINT AS income
    FROM cashflow_posted_rows(as_of_ts, 180, only_account := only_account)
    GROUP BY ALL
),
series AS (
    SELECT a.account_id, c.d, coalesce(t.net, 0) AS net, coalesce(t.income, 0) AS income,
           (a.current_cents - (sum(coalesce(t.net, 0)) OVER (PARTITION BY a.k ORDER BY c.d DESC) - coalesce(t.net, 0)))::BIGINT AS eod
    FROM cashflow_accounts(as_of_ts, only_account := only_account) a
    CROSS JOIN (SELECT unnest(generate_series(as_of_ts::DATE - 180, as_of_ts::DATE, INTERVAL 1 DAY))::DATE AS d) c
    LEFT JOIN days t ON t.k = a.k AND t.d = c.d
)
SELECT account_id, as_of_ts::TIMESTAMP AS as_of, d AS day, eod AS balance_cents, net AS net_cents, income AS income_cents
FROM series
WHERE d < as_of_ts::DATE;

-- The daily series the debit forecast reads, one row per account: end-of-day balances (NULL
-- without a balance) and income of the 180 days before as_of, oldest first.
CREATE OR REPLACE MACRO cashflow_daily_lists(as_of_ts, only_account := NULL) AS TABLE
SELECT account_id,
       -- sorted after aggregation: list_sort orders the structs by day, their first field
       CASE WHEN count(balance_cents) > 0 THEN [x.b FOR x IN list_sort(list({'day': day, 'b': balance_cents}))] END AS eod_balances_180d,
       [x.i FOR x IN list_sort(list({'day': day, 'i': income_cents}))] AS income_180d
FROM cashflow_daily_balances(as_of_ts, only_account := only_account)
GROUP BY account_id;

-- cashflow_features with cashflow_daily_lists. The lists cost a portfolio pass as much again,
-- so cashflow_features leaves them out.
CREATE OR REPLACE MACRO cashflow_features_daily(as_of_ts, only_account := NULL) AS TABLE
SELECT f.*, l.eod_balances_180d, l.income_180d
FROM cashflow_features(as_of_ts, only_account := only_account) f
LEFT JOIN cashflow_daily_lists(as_of_ts, only_account := only_account) l USING (account_id);
