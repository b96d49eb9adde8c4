import type { ClickHouseClient } from '@clickhouse/client'
import type { FeatureDefinition } from '../features/rules.js'
import type { PeopleRow } from './high-retention-cohort.js'
import { highRetentionPeopleSql } from './high-retention-people.sql.js'

/** The people rows of the high-retention report, with `features` at positions 2, 3, …. */
export async function queryPeople(
  client: ClickHouseClient,
  mode: 'on' | 'on_or_after',
  params: Record<string, unknown>,
  features: readonly FeatureDefinition[],
  /** People of a segment: SQL of one column `person`, its parameters already in `params`. */
  segment?: string,
): Promise<PeopleRow[]> {
  const rs = await client.query({ query: highRetentionPeopleSql(mode, features, segment), query_params: params, format: 'JSONCompactEachRow' })
  return rs.json<PeopleRow>()
}
