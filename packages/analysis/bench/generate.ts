import type { ClickHouseClient } from '@clickhouse/client'
import { holdoutBucketSql } from '../src/nudges/report.sql.js'

/** Shape of the synthetic product used by the benchmark. */
export interface SyntheticShape {
  project: string
  events: number
  users: number
  accounts: number
  features: number
  days: number
  /** UTC midnight of day 0. */
  start: string
}

export const BENCH_SHAPE: SyntheticShape = {
  project: 'bench',
  events: 10_000_000,
  users: 20_000,
  accounts: 2_000,
  features: 50,
  days: 90,
  start: '2024-01-01',
}

/**
 * Fills `events` (and `person_aliases`) inside the engine with INSERT … SELECT FROM numbers(),
 * so that ten million rows load in seconds. Everything derives from cityHash64 of the row
 * number, so every run produces the same data.
 *
 * Each user starts on a day in the first 80% of the period and stays with a mean lifetime of
 * 1–40 days (events thin out geometrically); each user works with 8 of the features. A third
 * of the users have one of the first five features among them and live twice as long. A fifth of the users act
 * anonymously on their first day and are merged by an alias, as after identify().
 */
export async function generateEvents(client: ClickHouseClient, s: SyntheticShape): Promise<void> {
  const params = {
    project: s.project,
    n: s.events,
    users: s.users,
    accounts: s.accounts,
    features: s.features,
    days: s.days,
    start: s.start,
  }
  // Element chains, texts and keys depend on the feature only: built once, indexed per row.
  await client.command({
    query: `INSERT INTO events (project_id, uuid, event, timestamp, client_timestamp, received_at, anonymous_id,
      user_id, account_id, session_id, url, path, host, feature_key, element_text, elements, properties, lib)
    WITH
      arrayMap(f -> [
        (if(f % 4 = 0, 'a', 'button'), if(f % 3 = 0, concat('btn-', toString(f)), ''), ['btn', concat('f', toString(f))],
          if(f < 20, map('data-feature', concat('feat_', toString(f))), map('type', 'button')), concat('Action ', toString(f)), toUInt16(1)),
        ('div', '', [concat('panel-', toString(f % 7)), 'toolbar'], map(), '', toUInt16(2)),
        ('main', 'app', [], map(), '', toUInt16(1)),
        ('body', '', [], map(), '', toUInt16(1))], range({features:UInt32})) AS chains,
      arrayMap(f -> concat('Action ', toString(f)), range({features:UInt32})) AS texts,
      arrayMap(f -> if(f < 20, concat('feat_', toString(f)), ''), range({features:UInt32})) AS keys,
      arrayMap(f -> concat('custom_', toString(f)), range({features:UInt32})) AS customs
    SELECT
      {project:String}, generateUUIDv4(number), event, ts, ts, ts,
      concat('anon-', toString(u)),
      if(anonymous, '', concat('user-', toString(u))),
      if(anonymous, '', concat('acct-', toString(u % {accounts:UInt32}))),
      concat('s-', toString(u), '-', toString(day)),
      concat('https://app.example.com', path), path, 'app.example.com',
      if(click, keys[f + 1], ''),
      if(click, texts[f + 1], ''),
      if(click, chains[f + 1], []),
      '{}', 'bench'
    FROM (
      SELECT number,
        cityHash64(number, 1) % {users:UInt32} AS u,
        cityHash64(u, 2) % toUInt32({days:UInt32} * 0.8) AS first_day,
        cityHash64(u, 4) % 3 = 0 AS good,
        cityHash64(number, 3) % 8 AS slot,
        toUInt32(if(slot = 0 AND good, u % 5, cityHash64(u, 10 + slot) % {features:UInt32})) AS f,
        (1 + cityHash64(u, 5) % 20) * if(good, 2, 1) AS tau,
        least({days:UInt32} - 1, first_day + toUInt32(floor(-log((cityHash64(number, 5) % 1000000 + 1) / 1000001) * tau))) AS day,
        toDateTime64({start:String}, 3, 'UTC') + toIntervalSecond(day * 86400 + cityHash64(number, 6) % 86400) AS ts,
        cityHash64(number, 7) % 100 AS kind,
        kind < 70 AS click,
        multiIf(click, '$click', kind < 95, '$pageview', customs[f + 1]) AS event,
        concat('/app/', toString(f % 10), '/item/', toString(cityHash64(number, 8) % 50)) AS path,
        cityHash64(u, 9) % 5 = 0 AND day = first_day AND cityHash64(number, 11) % 2 = 0 AS anonymous
      FROM numbers({n:UInt64})
    )`,
    query_params: params,
  })
  await client.command({
    query: `INSERT INTO person_aliases (project_id, anonymous_id, user_id, updated_at)
      SELECT {project:String}, concat('anon-', toString(u)), concat('user-', toString(u)), toDateTime64({start:String}, 3, 'UTC')
      FROM (SELECT number AS u FROM numbers({users:UInt32})) WHERE cityHash64(u, 9) % 5 = 0`,
    query_params: params,
  })
}

/** A nudge experiment in the synthetic product: who it reached, its holdout, and how many follow it. */
export interface SyntheticNudge {
  id: string
  /** Index of the target feature (its events are the feature's clicks). */
  feature: number
  /** Users whose first day lies in [fromDay, toDay) are exposed on that day. */
  fromDay: number
  toDay: number
  holdoutShare: number
  /** Share of shown users who click the target feature right after the exposure. */
  follow: number
}

export const BENCH_NUDGE: SyntheticNudge = { id: 'bench-nudge', feature: 0, fromDay: 10, toDay: 40, holdoutShare: 0.5, follow: 0.6 }

/**
 * Adds a nudge experiment to the generated events as the SDK records one: on a user's first
 * day, `$nudge_held_out` or `$nudge_shown` by the shared holdout hash of user id and nudge id
 * (so the report's sample-ratio check finds no mismatch), and for a share of the shown users a
 * click on the target feature a minute later. Lifetimes are not touched: the nudge has no effect.
 */
export async function generateNudge(client: ClickHouseClient, s: SyntheticShape, n: SyntheticNudge): Promise<void> {
  const params = { project: s.project, users: s.users, accounts: s.accounts, days: s.days, start: s.start, nudge: n.id, from: n.fromDay, to: n.toDay, threshold: Math.round(n.holdoutShare * 10_000), follow: Math.round(n.follow * 100), f: n.feature }
  const exposed = `
    SELECT u, user, held, toDateTime64({start:String}, 3, 'UTC') + toIntervalSecond(first_day * 86400 + 36000 + cityHash64(u, 20) % 3600) AS ts
    FROM (
      SELECT number AS u, concat('user-', toString(u)) AS user,
        cityHash64(u, 2) % toUInt32({days:UInt32} * 0.8) AS first_day,
        ${holdoutBucketSql("concat(user, ':', {nudge:String})")} < {threshold:UInt32} AS held
      FROM numbers({users:UInt32})
    ) WHERE first_day >= {from:UInt32} AND first_day < {to:UInt32}`
  const columns = `project_id, uuid, event, timestamp, client_timestamp, received_at, anonymous_id, user_id, account_id, session_id, url, path, host, feature_key, element_text, elements, properties, lib`
  const row = (event: string, at: string, extra: string) => `{project:String}, generateUUIDv4(u), ${event}, ${at}, ${at}, ${at}, concat('anon-', toString(u)), user,
      concat('acct-', toString(u % {accounts:UInt32})), concat('s-', toString(u), '-nudge'), 'https://app.example.com/app/0', '/app/0', 'app.example.com', ${extra}, 'bench'`
  await client.command({
    query: `INSERT INTO events (${columns})
      SELECT ${row("if(held, '$nudge_held_out', '$nudge_shown')", 'ts', `'', '', [], concat('{"nudge_id":"', {nudge:String}, '"}')`)}
      FROM (${exposed})`,
    query_params: params,
  })
  await client.command({
    query: `INSERT INTO events (${columns})
      SELECT ${row("'$click'", 'ts + toIntervalSecond(60)', `concat('feat_', toString({f:UInt32})), concat('Action ', toString({f:UInt32})),
        [('button', '', ['btn', concat('f', toString({f:UInt32}))], map('data-feature', concat('feat_', toString({f:UInt32}))), concat('Action ', toString({f:UInt32})), toUInt16(1)),
         ('div', '', ['panel-0', 'toolbar'], map(), '', toUInt16(2)), ('main', 'app', [], map(), '', toUInt16(1)), ('body', '', [], map(), '', toUInt16(1))], '{}'`)}
      FROM (${exposed}) WHERE NOT held AND cityHash64(u, 21) % 100 < {follow:UInt32}`,
    query_params: params,
  })
}
