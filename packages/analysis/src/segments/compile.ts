import type { ClickHouseClient } from '@clickhouse/client'
import { NON_ACTIVITY_EVENTS } from '../events.js'
import { compileRulesIndexed } from '../features/compile.js'
import { rollupActivitySql } from '../activity/rows.sql.js'
import type { FeatureDefinition } from '../features/rules.js'
import { AnalysisError } from '../errors.js'
import { listFeatures } from '../features/store.js'
import { Params, type SqlFragment } from '../sql/params.js'
import type { PropertyCondition, SegmentCondition, SegmentDefinition } from './definition.js'
import { accountTraitSql, membershipSql, propertyValuesSql, scope, type Scope } from './properties.sql.js'

/** Where and when a segment is evaluated: the report's project, time zone and as-of instant and day. */
export interface SegmentScope {
  project: string
  timezone: string
  /** ISO instant (UTC): properties take their value as of it. */
  asOf: string
  /** The as-of instant's calendar day in the time zone: behaviour counts complete days before it. */
  asOfDay: string
}

/** Who a segment selects: people (column `person`) or accounts (column `account`). */
export type SegmentUnit = 'person' | 'account'

interface Compiling {
  params: Params
  s: Scope
  tz: string
  asOfDay: string
  features: Map<string, FeatureDefinition>
}

const PERSON_OF_ROW = "if(k.identified = 1 OR a.user_id = '', k.user_key, a.user_id)"
const aliases = (c: Compiling) =>
  `(SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases WHERE project_id = ${c.s.p} GROUP BY anonymous_id)`

/** A scalar as the text the property queries compare with: JSON numbers and booleans as written. */
const asText = (v: string | number | boolean): string => String(v)

/** The predicate of a property condition over a text column `value`; values only as parameters. */
function predicate(c: PropertyCondition, params: Params): string {
  switch (c.op) {
    case 'eq': return `value = ${params.add(asText(c.value), 'String')}`
    case 'neq': return `value != ${params.add(asText(c.value), 'String')}`
    case 'in': return `value IN ${params.add(c.values.map(asText), 'Array(String)')}`
    case 'not_in': return `value NOT IN ${params.add(c.values.map(asText), 'Array(String)')}`
    case 'gt': return `toFloat64OrNull(value) > ${params.add(c.value, 'Float64')}`
    case 'gte': return `toFloat64OrNull(value) >= ${params.add(c.value, 'Float64')}`
    case 'lt': return `toFloat64OrNull(value) < ${params.add(c.value, 'Float64')}`
    case 'lte': return `toFloat64OrNull(value) <= ${params.add(c.value, 'Float64')}`
    case 'exists': return "value != ''"
  }
}

/** A person's activity rows in the rollup (kept at ingest) up to the as-of day, local days in the scope's zone; `extra` adds columns. */
function rollupRows(c: Compiling, extra = ''): string {
  const rows = rollupActivitySql({ project: c.s.p, tz: c.params.add(c.tz, 'String'), nonActivity: c.params.add([...NON_ACTIVITY_EVENTS], 'Array(String)') })
  return `SELECT ${PERSON_OF_ROW} AS person, k.day AS day${extra}
  FROM (${rows}) AS k LEFT JOIN ${aliases(c)} AS a ON a.anonymous_id = k.user_key
  WHERE k.day <= ${c.params.add(c.asOfDay, 'Date')}`
}

/** `person`: people whose first use of the feature fell on days 0 … withinDays−1 of their first activity. */
function usedFeatureSql(c: Compiling, feature: FeatureDefinition, withinDays: number): string {
  const used = compileRulesIndexed(feature.rules, c.params, c.s.p)
  return `SELECT person FROM (${rollupRows(c, `, ${used} AS used`)})
GROUP BY person
HAVING countIf(used) > 0 AND minIf(day, used) < min(day) + ${c.params.add(withinDays, 'UInt32')}`
}

/** `person`: people active on at least minDays of the lastDays complete days before the as-of day. */
function activeDaysSql(c: Compiling, minDays: number, lastDays: number): string {
  const day = c.params.add(c.asOfDay, 'Date')
  return `SELECT person FROM (${rollupRows(c)})
WHERE day < ${day} AND day >= ${day} - ${c.params.add(lastDays, 'UInt32')}
GROUP BY person
HAVING uniqExact(day) >= ${c.params.add(minDays, 'UInt32')}`
}

/**
 * `account`: accounts with a contract term (its latest committed version in force on the as-of
 * day) ending from the as-of day to withinDays after it.
 */
function renewingSql(c: Compiling, withinDays: number): string {
  const day = c.params.add(c.asOfDay, 'Date')
  return `SELECT DISTINCT account FROM (
  SELECT contract_id, argMax(account_id, (effective_from, import_seq)) AS account, argMax(term_end, (effective_from, import_seq)) AS term_end
  FROM contract_versions
  WHERE project_id = ${c.s.p} AND effective_from <= ${day}
    AND import_seq IN (SELECT seq FROM account_imports FINAL WHERE project_id = ${c.s.p} AND status = 'committed')
  GROUP BY contract_id
)
WHERE term_end IS NOT NULL AND term_end >= ${day} AND term_end <= ${day} + ${c.params.add(withinDays, 'UInt32')}`
}

/** A condition's set in its natural unit: account conditions select accounts, the rest people. */
function conditionSql(c: Compiling, cond: SegmentCondition): { unit: SegmentUnit; sql: string } {
  switch (cond.type) {
    case 'property':
      if (cond.property.startsWith('account.')) {
        const trait = cond.property.slice('account.'.length)
        return { unit: 'account', sql: `SELECT account FROM (${accountTraitSql(c.s, c.params, trait)}) WHERE ${predicate(cond, c.params)}` }
      }
      return { unit: 'person', sql: `SELECT person FROM (${propertyValuesSql(c.s, c.params, cond.property)}) WHERE ${predicate(cond, c.params)}` }
    case 'used_feature': return { unit: 'person', sql: usedFeatureSql(c, c.features.get(cond.feature)!, cond.withinDays) }
    case 'active_days': return { unit: 'person', sql: activeDaysSql(c, cond.minDays, cond.lastDays) }
    case 'account_renewing': return { unit: 'account', sql: renewingSql(c, cond.withinDays) }
  }
}

/**
 * A set in the wanted unit: accounts reach people through membership (their members); people
 * reach accounts as the accounts they belong to (an account is in when any member is).
 */
function inUnit(c: Compiling, set: { unit: SegmentUnit; sql: string }, unit: SegmentUnit): string {
  if (set.unit === unit) return set.sql
  const members = membershipSql(c.s)
  return unit === 'person'
    ? `SELECT person FROM (${members}) WHERE account IN (${set.sql})`
    : `SELECT DISTINCT account FROM (${members}) WHERE person IN (${set.sql})`
}

/**
 * Compiles a segment into a parameterised SQL query of one column (`person` or `account`) that
 * lists its members as of the scope's instant. The query stands alone (its own parameters, all
 * named `seg…`), so a report places it in `person IN (…)` beside its own parameters. Behaviour
 * conditions read the activity rollup, so nothing is built first.
 */
export async function compileSegment(
  client: ClickHouseClient,
  where: SegmentScope,
  def: SegmentDefinition,
  unit: SegmentUnit = 'person',
  prefix = 'seg',
): Promise<SegmentFilter> {
  const params = new Params(prefix)
  const featureIds = [...new Set(def.conditions.flatMap((c) => (c.type === 'used_feature' ? [c.feature] : [])))]
  const features = new Map<string, FeatureDefinition>()
  if (featureIds.length) {
    for (const f of await listFeatures(client, where.project, { ids: featureIds })) features.set(f.id, f)
    const missing = featureIds.find((id) => !features.has(id))
    if (missing) throw new AnalysisError('invalid', `segment: no feature ${missing}`, 'segment')
  }
  const c: Compiling = { params, s: scope(params, where.project, where.asOf), tz: where.timezone, asOfDay: where.asOfDay, features }
  const parts = def.conditions.map((cond) => `(${inUnit(c, conditionSql(c, cond), unit)})`)
  const sql = parts.length === 1 ? parts[0]!.slice(1, -1) : parts.join(def.match === 'all' ? '\nINTERSECT\n' : '\nUNION DISTINCT\n')
  return { unit, sql: `SELECT ${unit} FROM (${sql})`, params: params.values }
}

/**
 * `person`: people active by the scope's day who have no value of the property as of its instant
 * (a breakdown's "(none)" group). Only people: reports of accounts break down by account values.
 */
export function compileWithoutValue(where: SegmentScope, property: string, prefix = 'grp'): SegmentFilter {
  const params = new Params(prefix)
  const c: Compiling = { params, s: scope(params, where.project, where.asOf), tz: where.timezone, asOfDay: where.asOfDay, features: new Map() }
  const sql = `SELECT DISTINCT person FROM (${rollupRows(c)})
WHERE person NOT IN (SELECT person FROM (${propertyValuesSql(c.s, params, property)}) WHERE value != '')`
  return { unit: 'person', sql: `SELECT person FROM (${sql})`, params: params.values }
}

/** A compiled segment: members of one unit, as SQL with its parameters. */
export interface SegmentFilter extends SqlFragment {
  unit: SegmentUnit
}
