import { textContainsAnySql } from '../text/sql.js'
import { ROLLUP_ACTIVITY_SQL } from './rollup.sql.js'

/**
 * Purchase-intent signals per account in [from, to). Which pages, texts, events and features count
 * is configuration, passed as array parameters: pricing_paths (path prefixes), upgrade_texts
 * (clicked element text, case-insensitive substrings of public texts: element text is stored as tokens), upgrade_events (custom event names),
 * upgrade_features and paid_features (feature keys). Read from the activity rollup: each row stands for `n` events.
 */
export const TEMPERATURE_SQL = `
SELECT
  account,
  uniqExact(person) AS active_users,
  sumIf(n, event = '$pageview' AND arrayExists(p -> startsWith(path, p), {pricing_paths:Array(String)})) AS pricing_views,
  sumIf(n,
    (event IN ('$click', '$submit') AND element_text != '' AND ${textContainsAnySql('element_text', '{upgrade_texts:Array(String)}', '{project:String}')})
    OR has({upgrade_events:Array(String)}, event)
    OR (feature_key != '' AND has({upgrade_features:Array(String)}, feature_key))
  ) AS upgrade_clicks,
  uniqExactIf(person, feature_key != '' AND has({paid_features:Array(String)}, feature_key)) AS paid_feature_users
FROM (${ROLLUP_ACTIVITY_SQL}) AS a
WHERE account != ''
GROUP BY account`
