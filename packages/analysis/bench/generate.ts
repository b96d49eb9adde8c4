import type { ClickHouseClient } from '@clickhouse/client'

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
