import { EVENTS } from '../events.js'
import type { Params } from '../sql/params.js'
import { FIRST_TOUCH_COLUMNS } from '../store/migrations/044_first_touch.js'

/**
 * Where each property is read from, with its history: the events and imports keep every value
 * with its time, and each user key's first page view is kept at ingest (`first_touch`).
 *
 * - `person.<trait>`: the traits of `identify` events; a trait's value as of an instant is the
 *   one in the latest identify at or before it.
 * - `account.<trait>`: the traits of `group` events, and the imported columns (name, plan,
 *   seats), valid from their import's time. An account's first import describes it from the
 *   start (it is how the book was loaded, usually after the fact); later imports change it from
 *   their own time on. An empty imported cell does not erase an earlier value. `account.arr` is
 *   derived from the imported contracts: 12 × the MRR of the terms in force on the as-of day (in
 *   the contracts' own currency).
 * - `first.<field>`: the person's first page view (first touch); it never changes, so it is
 *   known from that page view on. `first.country` is the country of the client's IP, which the
 *   collector looks up only when IP storage is on.
 *
 * A person is the identified user id when the events were identified, else the user their
 * anonymous id was merged into, else the anonymous id (metrics spec §1), as in the reports.
 */

/** First-touch fields: name → expression over an events row (a fixed allow-list, never user text). */
export const FIRST_TOUCH_FIELDS: Record<string, string> = {
  referrer: 'e.referrer',
  referring_domain: 'domain(e.referrer)',
  landing_path: 'e.path',
  utm_source: "extractURLParameter(e.url, 'utm_source')",
  utm_medium: "extractURLParameter(e.url, 'utm_medium')",
  utm_campaign: "extractURLParameter(e.url, 'utm_campaign')",
  utm_term: "extractURLParameter(e.url, 'utm_term')",
  utm_content: "extractURLParameter(e.url, 'utm_content')",
  browser: 'e.browser',
  os: 'e.os',
  device_type: 'e.device_type',
  country: 'e.country',
}

/** Imported account columns: name → expression over an `accounts` row, and when its cell is set. */
export const IMPORTED_ACCOUNT_COLUMNS: Record<string, { value: string; set: string }> = {
  name: { value: 'r.name', set: "r.name != ''" },
  plan: { value: 'r.plan', set: "r.plan != ''" },
  seats: { value: 'toString(r.seats)', set: 'r.seats IS NOT NULL' },
}

/** The account property derived from contracts rather than stored as a trait. */
export const DERIVED_ARR = 'arr'

/** The pieces every property query shares: project, as-of instant. */
export interface Scope {
  project: string
  p: string
  asOf: string
}

export function scope(params: Params, project: string, asOf: string): Scope {
  return { project, p: params.add(project, 'String'), asOf: params.add(asOf.replace('T', ' ').replace('Z', ''), 'DateTime64(3)') }
}

function aliases(s: Scope): string {
  return `(SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases WHERE project_id = ${s.p} GROUP BY anonymous_id)`
}

/** The person of an events row `e` met with the aliases `a`: the identified user, else the user the anonymous id was merged into, else the key. */
export const PERSON_OF_EVENT = "if(e.user_id != '' OR a.user_id = '', e.user_key, a.user_id)"

/** A JSON property's value as text: strings as themselves, numbers and booleans as written. */
function jsonValue(key: string): string {
  return `if(JSONType(e.properties, ${key}) = 'String', JSONExtractString(e.properties, ${key}), JSONExtractRaw(e.properties, ${key}))`
}

/** `(person, value)`: a person trait's value as of the scope's instant. */
export function personTraitSql(s: Scope, params: Params, trait: string): string {
  const k = params.add(trait, 'String')
  return `SELECT person, argMax(value, valid_from) AS value FROM (
  SELECT ${PERSON_OF_EVENT} AS person, ${jsonValue(k)} AS value, e.timestamp AS valid_from
  FROM events AS e LEFT JOIN ${aliases(s)} AS a ON a.anonymous_id = e.user_key
  WHERE e.project_id = ${s.p} AND e.event = '${EVENTS.identify}' AND e.timestamp <= ${s.asOf}
    AND JSONHas(e.properties, ${k}) AND JSONType(e.properties, ${k}) != 'Null'
) GROUP BY person`
}

/** `(account, value)`: ARR on the scope's day, from the latest committed version of each contract in force then. */
function accountArrSql(s: Scope): string {
  const latest = '(effective_from, import_seq)'
  return `SELECT account, toString(round(sum(toFloat64(amount) / billing_months * 12), 2)) AS value FROM (
  SELECT contract_id, argMax(account_id, ${latest}) AS account, argMax(term_start, ${latest}) AS term_start, argMax(term_end, ${latest}) AS term_end,
    argMax(amount, ${latest}) AS amount, argMax(billing_months, ${latest}) AS billing_months
  FROM contract_versions
  WHERE project_id = ${s.p} AND effective_from <= toDate(${s.asOf})
    AND import_seq IN (SELECT seq FROM account_imports FINAL WHERE project_id = ${s.p} AND status = 'committed')
  GROUP BY contract_id
)
WHERE term_start <= toDate(${s.asOf}) AND (term_end IS NULL OR term_end >= toDate(${s.asOf})) AND billing_months > 0
GROUP BY account`
}

/**
 * `(account, value, valid_from)`: every value an account trait took up to the scope's instant,
 * from group traits and imported columns, each with the instant it holds from.
 */
export function accountTraitHistorySql(s: Scope, params: Params, trait: string): string {
  const k = params.add(trait, 'String')
  const imported = IMPORTED_ACCOUNT_COLUMNS[trait]
  const importedRows = imported
    ? `
  UNION ALL
  SELECT account, value, if(import_seq = first_seq, toDateTime64(0, 3, 'UTC'), created_at) AS valid_from FROM (
    SELECT r.account_id AS account, ${imported.value} AS value, r.import_seq AS import_seq, i.created_at AS created_at,
      min(r.import_seq) OVER (PARTITION BY r.account_id) AS first_seq
    FROM accounts AS r
    INNER JOIN (SELECT seq, created_at FROM account_imports FINAL WHERE project_id = ${s.p} AND status = 'committed') AS i ON i.seq = r.import_seq
    WHERE r.project_id = ${s.p} AND ${imported.set}
  )
  WHERE valid_from <= ${s.asOf}`
    : ''
  return `SELECT e.account_id AS account, ${jsonValue(k)} AS value, e.timestamp AS valid_from
  FROM events AS e
  WHERE e.project_id = ${s.p} AND e.event = '${EVENTS.group}' AND e.account_id != '' AND e.timestamp <= ${s.asOf}
    AND JSONHas(e.properties, ${k}) AND JSONType(e.properties, ${k}) != 'Null'${importedRows}`
}

/** `(account, value)`: an account trait's value as of the scope's instant (group traits and imported columns). */
export function accountTraitSql(s: Scope, params: Params, trait: string): string {
  if (trait === DERIVED_ARR) return accountArrSql(s)
  return `SELECT account, argMax(value, valid_from) AS value FROM (
  ${accountTraitHistorySql(s, params, trait)}
) GROUP BY account`
}

/**
 * Each user key's first page view, kept at ingest (`first_touch`, migration 044), with its person:
 * its columns are unfolded under the events' names (`url`, `referrer`, …) and `timestamp` is its
 * time, so the `FIRST_TOUCH_FIELDS` expressions read it as they would read an events row `e`.
 * `project`: the project's placeholder; `aliases`: SQL of (anonymous_id, user_id) pairs.
 */
export function firstPageViewsSql(project: string, aliases: string): string {
  return `SELECT if(e.identified = 1 OR a.user_id = '', e.user_key, a.user_id) AS person, e.*
FROM (
  SELECT identified, user_key, min(first_at) AS timestamp, argMinMerge(touch) AS v, ${FIRST_TOUCH_COLUMNS.map((c, i) => `v.${i + 1} AS ${c}`).join(', ')}
  FROM first_touch WHERE project_id = ${project} GROUP BY identified, user_key
) AS e LEFT JOIN ${aliases} AS a ON a.anonymous_id = e.user_key`
}

/** Where a person came from, over a first page view `e`: its UTM source, else the referrer's domain ('' for a direct visit). */
export const FIRST_TOUCH_SOURCE = `if(${FIRST_TOUCH_FIELDS.utm_source} != '', lower(${FIRST_TOUCH_FIELDS.utm_source}), ${FIRST_TOUCH_FIELDS.referring_domain})`

/**
 * `(person, value)`: a first-touch field of each person whose first page view was at or before the
 * scope's instant: the earliest of their user keys' first page views, which is at or before the
 * instant exactly when any page view of theirs is, so no page view is read here.
 */
export function firstTouchSql(s: Scope, field: string): string {
  const expr = FIRST_TOUCH_FIELDS[field]
  if (!expr) throw new Error(`unknown first-touch field ${field}`)
  return `SELECT person, argMin(${expr}, e.timestamp) AS value
FROM (${firstPageViewsSql(s.p, aliases(s))}) AS e
WHERE e.timestamp <= ${s.asOf}
GROUP BY person`
}

/** `(person, account)`: the account each user was last grouped into at or before the scope's instant. */
export function membershipSql(s: Scope): string {
  return `SELECT user_id AS person, argMax(account_id, updated_at) AS account FROM user_accounts
WHERE project_id = ${s.p} AND updated_at <= ${s.asOf} AND account_id != '' GROUP BY user_id`
}

/** `(person, value)` for any property: account traits reach a person through their account. */
export function propertyValuesSql(s: Scope, params: Params, property: string): string {
  const dot = property.indexOf('.')
  const source = property.slice(0, dot)
  const name = property.slice(dot + 1)
  if (source === 'person') return personTraitSql(s, params, name)
  if (source === 'first') return firstTouchSql(s, name)
  return `SELECT m.person AS person, v.value AS value FROM (${membershipSql(s)}) AS m INNER JOIN (${accountTraitSql(s, params, name)}) AS v ON v.account = m.account`
}

/** `name`: the stored trait names of identify (`person`) or group (`account`) events. */
export function traitNamesSql(s: Scope, source: 'person' | 'account'): string {
  const event = source === 'person' ? EVENTS.identify : EVENTS.group
  return `SELECT DISTINCT arrayJoin(JSONExtractKeys(properties)) AS name FROM events
WHERE project_id = ${s.p} AND event = '${event}' AND properties != '{}' ORDER BY name LIMIT 1000`
}
