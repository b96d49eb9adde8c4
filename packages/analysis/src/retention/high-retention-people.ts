import type { ClickHouseClient } from '@clickhouse/client'
import type { FeatureDefinition } from '../features/rules.js'
import type { PeopleRow } from './high-retention-cohort.js'
import { highRetentionPeopleSql } from './high-retention-people.sql.js'

/** A people row with the person's id after it. */
export type PersonPeopleRow = [...PeopleRow, string]

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

/** The people rows, each with its person's id last. */
export async function queryPeopleWithIds(
  client: ClickHouseClient,
  mode: 'on' | 'on_or_after',
  params: Record<string, unknown>,
  features: readonly FeatureDefinition[],
  segment?: string,
): Promise<PersonPeopleRow[]> {
  const rs = await client.query({ query: highRetentionPeopleSql(mode, features, segment, true), query_params: params, format: 'JSONCompactEachRow' })
  return rs.json<PersonPeopleRow>()
}

/** The row without its person id: what the report's statistics read (and order by). */
export const withoutPerson = (r: PersonPeopleRow): PeopleRow => r.slice(0, -1) as unknown as PeopleRow
