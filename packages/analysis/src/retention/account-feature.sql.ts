import { ACCOUNT_TARGETS_CTE } from '../sql/persons.sql.js'

const RETAINED = {
  on: 'has(rdays, d0 + n)',
  on_or_after: 'arrayExists(d -> d >= d0 + n, rdays)',
} as const

/** Accounts of a segment: SQL of one column `account` (see segments/compile.ts). */
const perAccount = (segment?: string) => `per_account AS (
  SELECT account, x.1 AS t, x.2 AS users, x.3 AS fdays, a.2 AS active_users, a.3 AS adays
  FROM (
    SELECT account, groupArray((t, users, account_days)) AS ts, arrayFirst(y -> y.1 = 1, ts) AS a
    FROM account_targets${segment ? ` WHERE account IN (${segment})` : ''} GROUP BY account
  )
  ARRAY JOIN ts AS x
)`

/**
 * Per target, over accounts: accounts active in [from, to] (row t = 1), active accounts with at
 * least one person using the feature in [from, to], and day-N retention of the accounts whose
 * first use of the feature ever is in [from, to] (return: the feature again, or any activity,
 * by any of the account's people).
 */
export function accountFeatureSql(opts: { mode: keyof typeof RETAINED; returnAny: boolean; segment?: string | undefined }, activity: string): string {
  return `WITH ${activity},
${ACCOUNT_TARGETS_CTE},
${perAccount(opts.segment)}
SELECT t, countIf(active_users > 0) AS active_accounts, countIf(active_users > 0 AND users > 0) AS adopting_accounts,
  countIf(starts) AS new_accounts,
  sumForEach(arrayMap(n -> toUInt64(starts AND d0 + n < {as_of_day:Date}), {days:Array(UInt32)})) AS eligible,
  sumForEach(arrayMap(n -> toUInt64(starts AND d0 + n < {as_of_day:Date} AND ${RETAINED[opts.mode]}), {days:Array(UInt32)})) AS retained
FROM (
  SELECT t, users, active_users, fdays[1] AS d0, fdays[1] >= {from:Date} AND fdays[1] <= {to:Date} AS starts,
    ${opts.returnAny ? 'adays' : 'fdays'} AS rdays
  FROM per_account
)
GROUP BY t
ORDER BY t`
}

/** Per active account: its active people in [from, to] and, per feature, how many of them used it. */
export function accountDetailSql(activity: string, segment?: string): string {
  return `WITH ${activity},
${ACCOUNT_TARGETS_CTE},
${perAccount(segment)}
SELECT account, t, users, active_users FROM per_account
WHERE active_users > 0 AND users > 0
ORDER BY account, t`
}
