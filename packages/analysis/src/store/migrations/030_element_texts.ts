import { engine, onCluster, physicalTable, type DdlContext } from '../ddl.js'

/**
 * k-anonymous element text (see src/text). Events hold tokens, never plain element text (nor
 * plain `aria-label` values, which are visible text too):
 * - `text_keys`: the project's secret for HMAC tokens, as the two 64-byte HMAC pads in hex (what
 *   SQL needs to compute a token; equivalent to the key). Created on first need, never returned by an API.
 * - `text_settings`: per project, how many distinct people must produce a text before it is public.
 * - `element_text_people`: distinct people per token, fed at insert by a view on events, so every
 *   collector writing to the store shares the count.
 * - `element_texts`: the public dictionary, token → plain text, only for tokens that reached k people.
 */
export function up(ctx: DdlContext): string[] {
  const physical = physicalTable(ctx, 'events')
  return [
    `CREATE TABLE IF NOT EXISTS text_keys${onCluster(ctx)} (
  project_id LowCardinality(String),
  ipad_hex String,
  opad_hex String,
  created_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'MergeTree', 'text_keys')}
ORDER BY (project_id, created_at)`,
    `CREATE TABLE IF NOT EXISTS text_settings${onCluster(ctx)} (
  project_id LowCardinality(String),
  k UInt16,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'text_settings', ['updated_at'])}
ORDER BY project_id`,
    `CREATE TABLE IF NOT EXISTS element_texts${onCluster(ctx)} (
  project_id LowCardinality(String),
  token String,
  text String
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'element_texts')}
ORDER BY (project_id, token)`,
    `CREATE TABLE IF NOT EXISTS element_text_people${onCluster(ctx)} (
  project_id LowCardinality(String),
  token String,
  people AggregateFunction(uniqExact, String)
) ENGINE = ${engine(ctx, 'AggregatingMergeTree', 'element_text_people')}
ORDER BY (project_id, token)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS element_text_people_mv${onCluster(ctx)} TO element_text_people AS
SELECT project_id, token, uniqExactState(user_key) AS people
FROM ${physical}
ARRAY JOIN arrayDistinct(arrayFilter(t -> t != '', arrayConcat([element_text], arrayMap(e -> e.text, elements), arrayMap(e -> e.attrs['aria-label'], elements)))) AS token
GROUP BY project_id, token`,
    // Events received before this migration hold plain text, stored or still waiting in a
    // collector's spool: the collector's startup job (tokeniseStoredText), once its spool is
    // replayed, turns each listed project's rows received up to `cutoff` (now) into tokens.
    `CREATE TABLE IF NOT EXISTS text_legacy${onCluster(ctx)} (
  project_id LowCardinality(String),
  cutoff DateTime64(3, 'UTC'),
  done UInt8,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'text_legacy', ['updated_at'])}
ORDER BY project_id`,
    `INSERT INTO text_legacy SELECT DISTINCT project_id, now64(3), 0, now64(3) FROM (
  SELECT id AS project_id FROM projects UNION ALL
  SELECT DISTINCT project_id FROM events WHERE element_text != '' OR arrayExists(e -> e.text != '' OR e.attrs['aria-label'] != '', elements))`,
  ]
}
