import type { ClickHouseClient } from '@clickhouse/client'
import type { PeopleRow } from './high-retention-cohort.js'
import { highRetentionPeopleSql } from './high-retention-people.sql.js'

type FirstRow = [...PeopleRow, string]
type RecountRow = [string, number, number[], number[]]

/**
 * Above this many people to recount, the recount covers everyone rather than a list: a server's
 * query parameters travel in the request's address, which must stay short.
 */
const RECOUNT_LIST = 5000

/**
 * The people rows of the high-retention report. The first query sums each user key's window rows
 * plainly, which is right unless the key has two rows on one day: copies of a row recomputed
 * before the engine merged them, or two accounts. It names those people, and only then does a
 * second query count their uses again, each copy once at its largest count.
 */
export async function queryPeople(
  client: ClickHouseClient,
  mode: 'on' | 'on_or_after',
  params: Record<string, unknown>,
  /** The activity CTEs of the report's features (`activityCtes`). */
  activity: string,
): Promise<PeopleRow[]> {
  const rs = await client.query({ query: highRetentionPeopleSql(mode, activity), query_params: params, format: 'JSONCompactEachRow' })
  const rows = await rs.json<FirstRow>()
  const persons = rows.map((r) => r[12]).filter((p) => p !== '')
  if (persons.length > 0) {
    const all = persons.length > RECOUNT_LIST
    const exact = await client.query({
      query: highRetentionPeopleSql(mode, activity, all ? 'recount-all' : 'recount'),
      query_params: all ? params : { ...params, persons },
      format: 'JSONCompactEachRow',
    })
    const byPerson = new Map((await exact.json<RecountRow>()).map((r) => [r[0], r]))
    for (const r of rows) {
      const e = r[12] === '' ? undefined : byPerson.get(r[12])
      if (!e) continue
      r[4] = Number(e[1])
      r[6] = e[2].map(Number)
      r[7] = e[3].map(Number)
    }
  }
  return rows.map((r) => r.slice(0, 12) as PeopleRow)
}
