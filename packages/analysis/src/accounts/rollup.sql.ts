import { NON_ACTIVITY_EVENTS } from '../events.js'
import type { IsoDate } from './dates.js'

/**
 * Activity in [{from:Date}, {to:Date}) from `activity_rollup` (the per-15-minute rollup kept at
 * ingest), per account, person and time grain, with the account and person resolved as for raw
 * events: the person is the identified user, else the user the anonymous id was merged into, else
 * the anonymous id; the account is the event's own group() account, else the one that person was
 * last grouped into.
 *
 * The rollup rows are reduced per stored account, user key and grain, where each measure is
 * computed over the rollup's columns (event, path, chain_hash, feature_key, element_text; `events`
 * = the events a row stands for); only those fewer rows are then resolved to account and person
 * (looked up in the identity tables' latest mappings). They are not grouped again: an (account,
 * person, t) comes back once per stored user key and account that resolves to it, so consumers
 * add measures up and count people and person-grains with exact distinct counts. Grouping a
 * million resolved rows again by their strings cost about a quarter of the usage query's time.
 * Parameters: project, from, to, non_activity.
 */
export interface RollupMeasure {
  name: string
  /** Aggregate over rollup rows, e.g. `sumIf(events, event = '$pageview')`. */
  expr: string
}

/** `day`: UTC calendar day (`t` is a Date); `none`: the whole range. */
export type RollupGrain = 'day' | 'none'

const GRAIN: Record<RollupGrain, string> = {
  day: 'toDate(bucket)',
  none: 'toUInt8(0)',
}

/**
 * The user each anonymous id was last merged into, and the account each user was last grouped
 * into, as pairs of arrays (evaluated once per query): looking keys up in them costs far less
 * than joining every reduced row to the identity tables.
 */
export const ALIASES = `(SELECT (groupArray(anonymous_id), groupArray(user_id)) FROM (
  SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
  WHERE project_id = {project:String} GROUP BY anonymous_id HAVING user_id != ''))`
export const MEMBERSHIPS = `(SELECT (groupArray(user_id), groupArray(account_id)) FROM (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id))`

/**
 * `dims`: rollup columns kept as they are beside the grain (e.g. feature_key); `where`: a further
 * condition on rollup rows; `perRow`: columns computed on each rollup row before the measures read
 * them (a mask a dozen measures test is then evaluated once per row). All trusted SQL, never user text.
 */
export function resolvedActivitySql(
  grain: RollupGrain,
  measures: readonly RollupMeasure[],
  opts: { dims?: readonly string[]; where?: string; perRow?: readonly RollupMeasure[] } = {},
): string {
  const names = measures.map((m) => m.name)
  const dims = opts.dims ?? []
  const perRow = opts.perRow ?? []
  checkColumnNames([...names, ...dims, ...perRow.map((c) => c.name)])
  const source = perRow.length ? `(SELECT *, ${perRow.map((c) => `${c.expr} AS ${c.name}`).join(', ')} FROM activity_rollup)` : 'activity_rollup'
  const dimList = dims.map((d) => `, ${d}`).join('')
  return resolved(`
  SELECT account_id, user_key, identified, ${GRAIN[grain]} AS t${dimList}${measures.map((m) => `,\n    ${m.expr} AS ${m.name}`).join('')}
  FROM ${source}
  WHERE project_id = {project:String}
    AND bucket >= toDateTime({from:Date}, 'UTC') AND bucket < toDateTime({to:Date}, 'UTC')
    AND event NOT IN {non_activity:Array(String)}${opts.where ? ` AND (${opts.where})` : ''}
  GROUP BY account_id, user_key, identified, t${dimList}`, [...dims, ...names])
}

/**
 * `person_days` rows in [{from:Date}, {to:Date}) (UTC days, `t`), resolved to account and person as
 * `resolvedActivitySql`'s are. Each stored row comes back on its own (rows of one key and day not yet
 * merged by the engine add up), with `columns` computed on it from its columns day, hours, events
 * and combos; a column may name one listed before it. `where`: a further condition on the rows.
 * All trusted SQL, never user text. Parameters: project, from, to.
 */
export function resolvedPersonDaysSql(columns: readonly RollupMeasure[], where?: string): string {
  const names = columns.map((c) => c.name)
  checkColumnNames(names)
  return resolved(`
  SELECT account_id, user_key, identified, day AS t${columns.map((c) => `,\n    ${c.expr} AS ${c.name}`).join('')}
  FROM person_days
  WHERE project_id = {project:String} AND day >= {from:Date} AND day < {to:Date}${where ? ` AND (${where})` : ''}`, names)
}

/**
 * A person-days row's combinations that pass some test of a mask word, as (mask, events) pairs:
 * each combination looked up once in `dictionary` (the name of a `(combos, masks)` pair, see
 * `featureMaskWords`), so the measures after it pass over the few combinations that count.
 */
export function combinationHitsSql(dictionary: string): string {
  return `arrayFilter(x -> x.1 != 0, arrayZip(arrayMap(c -> transform(c, ${dictionary}.1, ${dictionary}.2, toUInt64(0)), combos.1), combos.2))`
}

/**
 * The events whose mask has `bit`, of `hits`: (mask, events) pairs (see `combinationHitsSql`), or
 * a pair of arrays of masks and of events (a `sumMap` of such pairs); `.1` and `.2` read both alike.
 */
export function hitEventsSql(hits: string, bit: number): string {
  return `arraySum((m, e) -> if(bitTest(m, ${bit}), e, 0), ${hits}.1, ${hits}.2)`
}

/** Names become column aliases in the SQL: only plain identifiers. */
function checkColumnNames(names: readonly string[]): void {
  for (const n of names) if (!/^[a-z_][a-z0-9_]*$/.test(n)) throw new Error(`invalid column name ${n}`)
}

/** Rows of `inner` (account_id, user_key, identified, t and `names`) with their person and account. */
function resolved(inner: string, names: readonly string[]): string {
  return `
SELECT
  if(g.identified = 1, g.user_key, transform(g.user_key, ${ALIASES}.1, ${ALIASES}.2, g.user_key)) AS person,
  if(g.account_id != '', g.account_id, transform(person, ${MEMBERSHIPS}.1, ${MEMBERSHIPS}.2, '')) AS account,
  g.t AS t${names.map((n) => `, g.${n} AS ${n}`).join('')}
FROM (${inner}
) AS g`
}

export function rollupParams(projectId: string, from: IsoDate, to: IsoDate): Record<string, unknown> {
  return { project: projectId, from, to, non_activity: [...NON_ACTIVITY_EVENTS] }
}

