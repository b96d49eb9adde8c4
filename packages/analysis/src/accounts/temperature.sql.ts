import { textContainsAnySql } from '../text/sql.js'
import { resolvedActivitySql } from './rollup.sql.js'

/**
 * Purchase-intent signals per account in [from, to). Which pages, texts, events and features count
 * is configuration, passed as array parameters: pricing_paths (path prefixes), upgrade_texts
 * (clicked element text, case-insensitive substrings of public texts: element text is stored as tokens), upgrade_events (custom event names),
 * upgrade_features and paid_features (feature keys). Read from the activity rollup, for the
 * accounts in {accounts} only (a report scores today's paying accounts, a fraction of the active ones).
 */
const PER_PERSON = resolvedActivitySql('none', [
  { name: 'pricing_views', expr: `sumIf(events, event = '$pageview' AND arrayExists(p -> startsWith(path, p), {pricing_paths:Array(String)}))` },
  {
    name: 'upgrade_clicks',
    expr: `sumIf(events,
    (event IN ('$click', '$submit') AND element_text != '' AND ${textContainsAnySql('element_text', '{upgrade_texts:Array(String)}', '{project:String}')})
    OR has({upgrade_events:Array(String)}, event)
    OR (feature_key != '' AND has({upgrade_features:Array(String)}, feature_key)))`,
  },
  { name: 'paid', expr: `max(feature_key != '' AND has({paid_features:Array(String)}, feature_key))` },
  // Rows of the accounts asked about, and rows without a stored account (their person's account is
  // looked up): a row stored under another account resolves to that account, which is not asked about.
], { where: `account_id IN {accounts:Array(String)} OR account_id = ''` })

export const TEMPERATURE_SQL = `
SELECT
  account,
  uniqExact(person) AS active_users,
  sum(pricing_views) AS pricing_views,
  sum(upgrade_clicks) AS upgrade_clicks,
  uniqExactIf(person, paid = 1) AS paid_feature_users
FROM (${PER_PERSON}) AS a
WHERE account != '' AND account IN {accounts:Array(String)}
GROUP BY account`
