import { NON_ACTIVITY_EVENTS } from '../events.js'
import type { FeatureDefinition, FeatureRule } from '../features/rules.js'
import { compileRule } from '../features/compile.js'
import { Params } from '../sql/params.js'

/** Text and aria-label conditions read the project's key and public texts through this placeholder. */
const PROJECT = '{project:String}'

/**
 * A person's activity as the rollup's rows (kept at ingest), with `day` the local calendar day in
 * the zone — exact in any zone, as every offset is a whole number of the rollup's quarter-hour
 * buckets — less the events that are not a person's doing (metrics spec §1). `events` = the events
 * a row stands for, all of one session (`session_id`, '' when the events had none). `placeholders`
 * are the query's parameters for the project, the zone and the event names left out (a segment's
 * query has its own).
 */
export function rollupActivitySql(placeholders: { project: string; tz: string; nonActivity: string }): string {
  const { project, tz, nonActivity } = placeholders
  return `SELECT user_key, identified, toDate(bucket, ${tz}) AS day, bucket, account_id, event, path, chain_hash, feature_key, combo, session_id, events
  FROM activity_rollup WHERE project_id = ${project} AND event NOT IN ${nonActivity}`
}

/** `rollupActivitySql` on the reports' parameters: project, tz, non_activity. */
export const ROLLUP_ACTIVITY = rollupActivitySql({ project: PROJECT, tz: '{tz:String}', nonActivity: '{non_activity:Array(String)}' })

/**
 * The activity of the retention reports, read from `activity_rollup` when the query runs, so
 * nothing is built before a report: a new time zone, an edited feature or late events are simply
 * in the next reading. Each feature's rules are tested on a rollup row's event, path, element
 * chain and feature key (element and URL rules through the distinct chains and paths the store
 * keeps, evaluated once per query). Targets are positions: 1 = any activity, then `features` in order.
 *
 * CTEs:
 * - `rollup_targets(user_key, identified, day, account_id, events, ts)`: each rollup row with the
 *   targets it counts for (1 first);
 * - `key_days(user_key, identified, day, ts)`: the same per key and day, one row each: the rows'
 *   feature bits are OR-ed first and turned into positions once per day, not once per row;
 * - `activity_days(user_key, identified, day, account_id, uses)`: any activity, one row per key,
 *   day and account;
 * - `feature_rows(t, user_key, identified, day, account_id, uses)`: use of feature target t ≥ 2,
 *   one row per target, key, day and account.
 * Rows of a key not yet merged by the engine add up. `combos`: test rows through `activity_combos`
 * (see `featureMaskWords`). Parameters: see `activityParams`, and project, tz.
 */
export function activityCtes(features: readonly FeatureDefinition[], combos = false): string {
  return `rollup_activity AS (
  ${ROLLUP_ACTIVITY}
),
rollup_targets AS (
  SELECT user_key, identified, day, account_id, events, arrayPushFront(${featurePositions(features, combos)}, toUInt32(1)) AS ts FROM rollup_activity
),
key_days AS (
  SELECT user_key, identified, day, arrayPushFront(${featureMatch(features, (mask) => `groupBitOr(${mask})`, combos).positions}, toUInt32(1)) AS ts
  FROM rollup_activity
  GROUP BY user_key, identified, day
),
activity_days AS (
  SELECT user_key, identified, day, account_id, sum(events) AS uses FROM rollup_activity
  GROUP BY user_key, identified, day, account_id
),
feature_rows AS (
  SELECT t, user_key, identified, day, account_id, sum(events) AS uses
  FROM rollup_activity ARRAY JOIN ${featurePositions(features, combos)} AS t
  GROUP BY t, user_key, identified, day, account_id
)`
}

/** Features per mask word: one UInt64 bit each. */
export const MASK_WORD = 64

/** The positions of the features a row is use of (see `featureMaskWords`), each word's mask first put through `fold`. */
function featureMatch(
  features: readonly FeatureDefinition[],
  /** What each word's mask goes through before it becomes positions (an aggregate, for rows folded first). */
  fold: (mask: string) => string = (mask) => mask,
  combos = false,
): { positions: string; params: Record<string, unknown> } {
  const { words, params } = featureMaskWords(features, { combos })
  return { positions: maskPositions(words.map(fold)), params }
}

/**
 * The features a mask word per element of `masks` (SQL, word 0 first) holds, as their positions
 * among the report's targets (2, 3, … in the order of the features), ascending.
 */
export function maskPositions(masks: readonly string[]): string {
  const positions = masks.map((mask, w) => `arrayMap(b -> toUInt32(b + ${w * MASK_WORD + 2}), bitPositionsToArray(${mask}))`)
  return positions.length === 0 ? `CAST([], 'Array(UInt32)')` : positions.length === 1 ? positions[0]! : `arrayConcat(${positions.join(', ')})`
}

/**
 * What a mask bit tests on a rollup row: a feature's rules, or a condition (trusted SQL, never user
 * text) over the columns event, path, chain_hash and feature_key.
 */
export type MaskTest = { rules: readonly FeatureRule[] } | { sql: string }

/**
 * Per word of up to 64 tests, a rollup row's mask (UInt64): bit j of word w is set when the row
 * passes test 64·w + j. A rule tests one column — element rules the chain, URL rules the path,
 * event and feature-key rules their own — and a feature's rules combine with OR, so a mask is the
 * OR of its four values' lookups. Element and URL rules are evaluated on the store's distinct
 * chains and paths (`element_chains`, `event_paths`), once per query; event names and feature keys
 * are parameters.
 *
 * `combos`: the mask is evaluated on the project's distinct combinations (`activity_combos`,
 * migration 045) and each row looks its `combo` up, so rows are read without their path, chain
 * and feature key; only once every combination is there (`combosComplete`). Otherwise it is
 * evaluated on each row's columns. `dictionaries`: per word, the combinations whose mask is not 0
 * with their masks, as a pair of arrays (null when the word tests nothing), for rows that hold
 * several combinations (`person_days`). The SQL reads the placeholder {project:String}.
 */
export function featureMaskWords(
  tests: readonly MaskTest[],
  opts: { prefix?: string; combos?: boolean } = {},
): { words: string[]; params: Record<string, unknown>; dictionaries: (string | null)[] } {
  const prefix = opts.prefix ?? 'fm'
  const params = new Params(prefix)
  const words: string[] = []
  const dictionaries: (string | null)[] = []
  for (let k = 0; k < tests.length; k += MASK_WORD) {
    const word = tests.slice(k, k + MASK_WORD)
    const w = k / MASK_WORD
    const bit = (j: number) => `bitShiftLeft(toUInt64(1), ${j})`
    const rulesOf = (t: MaskTest) => ('rules' in t ? t.rules : [])
    const dictionaryBits = (type: 'element' | 'url') =>
      word.flatMap((t, j) => {
        const rules = rulesOf(t).filter((r) => r.type === type)
        return rules.length ? [`if(${rules.map((r) => compileRule(r, params, PROJECT)).join(' OR ')}, ${bit(j)}, toUInt64(0))`] : []
      })
    const valueBits = (type: 'event' | 'feature_key') => {
      const bits = new Map<string, bigint>()
      word.forEach((t, j) => {
        for (const r of rulesOf(t)) {
          if (r.type !== type) continue
          const value = r.type === 'event' ? r.name : r.type === 'feature_key' ? r.key : ''
          bits.set(value, (bits.get(value) ?? 0n) | (1n << BigInt(j)))
        }
      })
      return bits
    }
    const lookups: string[] = []
    const chains = dictionaryBits('element')
    if (chains.length) {
      lookups.push(`transform(chain_hash, (SELECT (groupArray(chain_hash), groupArray(m)) FROM (
        SELECT chain_hash, groupBitOr(${chains.join(' + ')}) AS m FROM element_chains WHERE project_id = ${PROJECT} GROUP BY chain_hash HAVING m != 0)) AS ${prefix}_chains_${w}.1, ${prefix}_chains_${w}.2, toUInt64(0))`)
    }
    const paths = dictionaryBits('url')
    if (paths.length) {
      lookups.push(`transform(path, (SELECT (groupArray(path), groupArray(m)) FROM (
        SELECT path, groupBitOr(${paths.join(' + ')}) AS m FROM event_paths WHERE project_id = ${PROJECT} GROUP BY path HAVING m != 0)) AS ${prefix}_paths_${w}.1, ${prefix}_paths_${w}.2, toUInt64(0))`)
    }
    for (const [type, column] of [['event', 'event'], ['feature_key', 'feature_key']] as const) {
      const bits = valueBits(type)
      if (bits.size === 0) continue
      const values = params.add([...bits.keys()], 'Array(String)')
      const masks = params.add([...bits.values()].map(String), 'Array(String)')
      lookups.push(`transform(toString(${column}), ${values}, arrayMap(x -> toUInt64(x), ${masks}), toUInt64(0))`)
    }
    word.forEach((t, j) => {
      if ('sql' in t) lookups.push(`if(${t.sql}, ${bit(j)}, toUInt64(0))`)
    })
    const mask = lookups.length ? lookups.reduce((acc, l) => `bitOr(${acc}, ${l})`) : 'toUInt64(0)'
    const dictionary = lookups.length
      ? `(SELECT (groupArray(combo), groupArray(m)) FROM (
        SELECT combo, groupBitOr(${mask}) AS m FROM activity_combos WHERE project_id = ${PROJECT} GROUP BY combo HAVING m != 0))`
      : null
    dictionaries.push(dictionary)
    words.push(opts.combos && dictionary ? `transform(combo, ${dictionary} AS ${prefix}_combos_${w}.1, ${prefix}_combos_${w}.2, toUInt64(0))` : mask)
  }
  return { words, params: params.values, dictionaries }
}

/**
 * The features a rollup row (columns event, path, chain_hash, feature_key) is use of, as their
 * positions among the report's targets (2, 3, … in the order of `features`), ascending; with
 * `combos`, through the row's `combo` (see `featureMaskWords`). Parameters: see `activityParams`.
 */
export function featurePositions(features: readonly FeatureDefinition[], combos = false): string {
  return featureMatch(features, undefined, combos).positions
}

/** The parameters of `activityCtes(features)` and `featurePositions(features)` but project and tz. */
export function activityParams(features: readonly FeatureDefinition[]): Record<string, unknown> {
  return { non_activity: [...NON_ACTIVITY_EVENTS], ...featureMatch(features).params }
}
