import { featureMaskWords } from '../activity/rows.sql.js'
import { textContainsAnySql } from '../text/sql.js'
import { combinationHitsSql, hitEventsSql, resolvedActivitySql, resolvedPersonDaysSql } from './rollup.sql.js'

/** What the signals count, as conditions on an event's name, path and feature key (trusted SQL). */
const PRICING_VIEW = `event = '$pageview' AND arrayExists(p -> startsWith(path, p), {pricing_paths:Array(String)})`
const UPGRADE_BY_NAME = `has({upgrade_events:Array(String)}, event) OR (feature_key != '' AND has({upgrade_features:Array(String)}, feature_key))`
const PAID_FEATURE = `feature_key != '' AND has({paid_features:Array(String)}, feature_key)`
/** A click or submit on an element whose (public) text holds one of the upgrade texts. */
const UPGRADE_TEXT = `event IN ('$click', '$submit') AND element_text != '' AND ${textContainsAnySql('element_text', '{upgrade_texts:Array(String)}', '{project:String}')}`
/** Rows of the accounts asked about, and rows without a stored account (their person's account is looked up). */
const ASKED = `account_id IN {accounts:Array(String)} OR account_id = ''`

const PER_PERSON = resolvedActivitySql('none', [
  { name: 'pricing_views', expr: `sumIf(events, ${PRICING_VIEW})` },
  { name: 'upgrade_clicks', expr: `sumIf(events, (${UPGRADE_TEXT}) OR ${UPGRADE_BY_NAME})` },
  { name: 'paid', expr: `max(${PAID_FEATURE})` },
  // A row stored under another account resolves to that account, which is not asked about.
], { where: ASKED })

/**
 * Purchase-intent signals per account in [from, to). Which pages, texts, events and features count
 * is configuration, passed as array parameters: pricing_paths (path prefixes), upgrade_texts
 * (clicked element text, case-insensitive substrings of public texts: element text is stored as tokens), upgrade_events (custom event names),
 * upgrade_features and paid_features (feature keys). Read from the activity rollup, for the
 * accounts in {accounts} only (a report scores today's paying accounts, a fraction of the active ones).
 */
export const TEMPERATURE_SQL = signalsSql(`SELECT person, account, pricing_views, upgrade_clicks, paid FROM (${PER_PERSON})`)

/**
 * `TEMPERATURE_SQL` from `person_days` (see `personDaysComplete`): the views, upgrades by name and
 * paid features are tests on the rows' combinations (`featureMaskWords`), evaluated once on the
 * combination dictionary. Element text is in no combination, so upgrade clicks by text are read
 * from the rollup, only its clicks and submits on such texts that no name test counted already.
 * The same figures.
 */
export const TEMPERATURE_PERSON_DAYS_SQL = (() => {
  const { dictionaries } = featureMaskWords([{ sql: PRICING_VIEW }, { sql: UPGRADE_BY_NAME }, { sql: PAID_FEATURE }], { prefix: 'intent' })
  const days = resolvedPersonDaysSql([
    { name: 'hits', expr: combinationHitsSql('intent_tests') },
    { name: 'pricing_views', expr: hitEventsSql('hits', 0) },
    { name: 'upgrade_clicks', expr: hitEventsSql('hits', 1) },
    { name: 'paid', expr: 'toUInt8(arrayExists(x -> bitTest(x.1, 2), hits))' },
  ], ASKED)
  const texts = resolvedActivitySql('none', [{ name: 'upgrade_clicks', expr: 'sum(events)' }], { where: `(${ASKED}) AND ${UPGRADE_TEXT} AND NOT (${UPGRADE_BY_NAME})` })
  return `WITH ${dictionaries[0]!} AS intent_tests
${signalsSql(`SELECT person, account, pricing_views, upgrade_clicks, paid FROM (${days})
  UNION ALL SELECT person, account, 0, upgrade_clicks, 0 FROM (${texts})`)}`
})()

/** Per account asked about, the signals of `rows` (person, account, pricing_views, upgrade_clicks, paid). */
function signalsSql(rows: string): string {
  return `
SELECT
  account,
  uniqExact(person) AS active_users,
  sum(pricing_views) AS pricing_views,
  sum(upgrade_clicks) AS upgrade_clicks,
  uniqExactIf(person, paid = 1) AS paid_feature_users
FROM (${rows}) AS a
WHERE account != '' AND account IN {accounts:Array(String)}
GROUP BY account`
}
