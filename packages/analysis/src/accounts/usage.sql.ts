import { MASK_WORD } from '../activity/rows.sql.js'
import { combinationHitsSql, hitEventsSql, resolvedActivitySql, resolvedPersonDaysSql, type RollupMeasure } from './rollup.sql.js'

/**
 * Usage per window: one window = one account over [from, to). Windows arrive as parallel array
 * parameters (ids, accounts, froms, mids, tos); `mid` splits a window for the usage trend. All
 * windows go in one query: the rows are per account, person and UTC day (`person_days`, or the
 * rollup reduced to them while that is incomplete; a person-day may come in several rows, see
 * resolvedActivitySql and resolvedPersonDaysSql), the windows join those rows by
 * account and date range, and the joined rows are summed per window and person before per window.
 * Counting distinct people per window directly would keep one set of people per window and
 * measure (a dozen or more sets each), and every joined row would be hashed into each of them;
 * per window and person the rows are hashed once, and people are then counted as rows.
 * Windows are joined by their position in the parameter arrays, a number, not by their id.
 * Parameters: those of resolvedActivitySql plus ids, accounts, froms, mids, tos, help_paths, support_events.
 */
const WINDOWS = `
SELECT w.1 AS w_idx, w.2 AS w_account, w.3 AS w_from, w.4 AS w_mid, w.5 AS w_to
FROM (SELECT arrayJoin(arrayZip(arrayEnumerate({ids:Array(String)}), {accounts:Array(String)}, {froms:Array(Date)}, {mids:Array(Date)}, {tos:Array(Date)})) AS w)`

/** A window's id from its position. */
const WINDOW_ID = '{ids:Array(String)}[w_idx] AS window_id'

const IN_WINDOW = `
INNER JOIN (${WINDOWS}) AS win ON d.account = win.w_account
WHERE d.t >= win.w_from AND d.t < win.w_to`

/** Rows of the windows' accounts, and rows without a stored account (their person's account is looked up). */
const WINDOW_ACCOUNTS = `account_id IN {accounts:Array(String)} OR account_id = ''`

/**
 * `WINDOW_ACCOUNTS` on person-days (which the table's key can find), narrowed to the days from an
 * account's first window's start to its last window's end (parameters span_accounts, span_froms,
 * span_tos): an account's windows (a renewal's, the current one) often leave most of the report's
 * range out, and a row skipped here is never looked up combination by combination.
 */
const WINDOW_ACCOUNT_DAYS = `(${WINDOW_ACCOUNTS}) AND (account_id = '' OR (day >= transform(account_id, {span_accounts:Array(String)}, {span_froms:Array(Date)}, toDate(0))
    AND day < transform(account_id, {span_accounts:Array(String)}, {span_tos:Array(Date)}, toDate(0))))`

/** Help-page views and support contacts, the first two tests of a usage query's masks; features follow. */
export const HELP_VIEW = `event = '$pageview' AND arrayExists(p -> startsWith(path, p), {help_paths:Array(String)})`
export const SUPPORT_CONTACT = 'event IN {support_events:Array(String)}'

/**
 * Totals per window, and users and events per feature. `maskWords` (see `featureMaskWords`) test
 * HELP_VIEW, SUPPORT_CONTACT and then each of the `features` features, one bit each: a word is
 * evaluated once per row, however many bits are read from it.
 */
export function usageSql(maskWords: readonly string[], features: number): string {
  const bit = (b: number) => `bitTest(mask${Math.floor(b / MASK_WORD)}, ${b % MASK_WORD})`
  const names = ['help_views', 'support_contacts', ...Array.from({ length: features }, (_, i) => `use${i}`)]
  const measures: RollupMeasure[] = [{ name: 'n', expr: 'sum(events)' }, ...names.map((name, b): RollupMeasure => ({ name, expr: `sumIf(events, ${bit(b)})` }))]
  const rows = resolvedActivitySql('day', measures, { where: WINDOW_ACCOUNTS, perRow: maskWords.map((expr, w) => ({ name: `mask${w}`, expr })) })
  return windowsSql(rows, features, {
    perPerson: names.map((name) => `sum(d.${name}) AS ${name}`),
    eventsOf: (b) => `p.${names[b]}`,
  })
}

/**
 * `usageSql` on `person_days`: a row's combinations are looked up in `dictionaries` (see
 * `featureMaskWords`, here evaluated once per query as `um_days_<word>`), and only those some test
 * of a word passes are kept, as (mask, events) pairs. A person's pairs in a window are summed per
 * mask (few distinct masks), and each measure then reads its bit off those sums: per person and
 * window, not per person-day row, where a dozen measures each passing over every row's pairs cost
 * a fifth of the query. Parameters: project, from, to, those of `usageSql` but non_activity (the
 * table holds activity only), and span_accounts, span_froms, span_tos: each account of the windows
 * once, with its windows' earliest start and latest end.
 */
export function personDaysUsageSql(dictionaries: readonly (string | null)[], features: number): string {
  const words = dictionaries.flatMap((d, w) => (d ? [w] : []))
  const columns: RollupMeasure[] = [
    ...words.map((w): RollupMeasure => ({ name: `masks${w}`, expr: combinationHitsSql(`um_days_${w}`) })),
    { name: 'n', expr: 'events' },
  ]
  const eventsOf = (b: number) => {
    const w = Math.floor(b / MASK_WORD)
    return dictionaries[w] ? hitEventsSql(`p.mask_events${w}`, b % MASK_WORD) : 'toUInt64(0)'
  }
  const lookups = words.map((w) => `${dictionaries[w]} AS um_days_${w}`)
  return `${lookups.length ? `WITH ${lookups.join(',\n')}` : ''}${windowsSql(resolvedPersonDaysSql(columns, WINDOW_ACCOUNT_DAYS), features, {
    perPerson: words.map((w) => `sumMap(d.masks${w}.1, d.masks${w}.2) AS mask_events${w}`),
    eventsOf,
  })}`
}

/**
 * Totals per window from resolved rows `d` (account, person, t, n and what `perPerson` reads):
 * `perPerson` are the columns summed per window and person, and `eventsOf(b)` the events of test
 * `b` (0 help views, 1 support contacts, 2… the features) read from them as `p.<column>`.
 */
function windowsSql(rows: string, features: number, events: { perPerson: readonly string[]; eventsOf: (bit: number) => string }): string {
  const uses = Array.from({ length: features }, (_, i) => events.eventsOf(i + 2))
  const perFeature = features
    ? `,\n  [${uses.map((e) => `countIf(${e} > 0)`).join(', ')}] AS users,\n  [${uses.map((e) => `sum(${e})`).join(', ')}] AS feature_events`
    : ''
  return `
SELECT
  ${WINDOW_ID},
  count() AS active_users,
  sum(p.days) AS active_user_days,
  sum(p.recent_days) AS recent_user_days,
  sum(p.n) AS events,
  sum(${events.eventsOf(0)}) AS help_views,
  sum(${events.eventsOf(1)}) AS support_contacts${perFeature}
FROM (
  SELECT w_idx, d.person AS person,
    uniqExact(d.t) AS days,
    uniqExactIf(d.t, d.t >= win.w_mid) AS recent_days,
    sum(d.n) AS n${events.perPerson.map((c) => `,\n    ${c}`).join('')}
  FROM (${rows}) AS d
  ${IN_WINDOW}
  GROUP BY w_idx, d.person
) AS p
GROUP BY w_idx`
}

/** Users and events per window and raw feature key (projects without feature definitions; their count is the window's features used). */
export const FEATURE_KEY_USAGE_SQL = `
SELECT ${WINDOW_ID}, d.feature_key AS feature, uniqExact(d.person) AS users, sum(d.n) AS events
FROM (${resolvedActivitySql('day', [{ name: 'n', expr: 'sum(events)' }], { dims: ['feature_key'], where: `feature_key != '' AND (${WINDOW_ACCOUNTS})` })}) AS d
${IN_WINDOW}
GROUP BY w_idx, d.feature_key`

/**
 * `FEATURE_KEY_USAGE_SQL` on `person_days`: each row's combinations are looked up in the project's
 * combinations that carry a feature key, and the row's events per key are counted as the rollup's
 * rows per key were. Parameters: as `personDaysUsageSql`.
 */
export const PERSON_DAYS_FEATURE_KEY_USAGE_SQL = `
WITH (SELECT (groupArray(combo), groupArray(fk)) FROM (
  SELECT combo, any(feature_key) AS fk FROM activity_combos WHERE project_id = {project:String} AND feature_key != '' GROUP BY combo)) AS um_keys
SELECT ${WINDOW_ID}, d.kv.1 AS feature, uniqExact(d.person) AS users, sum(d.kv.2) AS events
FROM (
  SELECT person, account, t, kv
  FROM (${resolvedPersonDaysSql([{ name: 'keyed', expr: `arrayFilter(kv -> kv.1 != '', arrayZip(arrayMap(c -> transform(c, um_keys.1, um_keys.2, ''), combos.1), combos.2))` }], `notEmpty(um_keys.1) AND (${WINDOW_ACCOUNT_DAYS})`)})
  ARRAY JOIN keyed AS kv
) AS d
${IN_WINDOW}
GROUP BY w_idx, d.kv.1`
