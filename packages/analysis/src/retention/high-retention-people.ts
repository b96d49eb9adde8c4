import type { ClickHouseClient } from '@clickhouse/client'
import type { FeatureDefinition } from '../features/rules.js'
import type { PeopleRow } from './high-retention-cohort.js'
import { highRetentionPeopleSql, PLAN_PARAMS } from './high-retention-people.sql.js'

/** A people row with the person's id after it. */
export type PersonPeopleRow = [...PeopleRow, string]

type Mode = 'on' | 'on_or_after'

/**
 * `segment`: people of a segment, SQL of one column `person`, its parameters already in `params`;
 * `combos`: test features through `activity_combos` (the report context's `combos`); `kept`: find
 * each key's day 0 and account in the tables kept at ingest (see `firstActivityAndSpansComplete`).
 */
export interface PeopleQueryOptions {
  segment?: string | undefined
  combos?: boolean
  kept?: boolean
}


async function readRows<R>(client: ClickHouseClient, mode: Mode, params: Record<string, unknown>, features: readonly FeatureDefinition[], opts: PeopleQueryOptions, withPerson: boolean): Promise<R[]> {
  const rs = await client.query({ query: highRetentionPeopleSql(mode, features, opts.segment, withPerson, opts.combos, opts.kept), query_params: { ...params, ...PLAN_PARAMS }, format: 'JSONCompactEachRow' })
  return rs.json<R>()
}

/** The people rows of the high-retention report, with `features` at positions 2, 3, …. */
export function queryPeople(client: ClickHouseClient, mode: Mode, params: Record<string, unknown>, features: readonly FeatureDefinition[], opts: PeopleQueryOptions = {}): Promise<PeopleRow[]> {
  return readRows<PeopleRow>(client, mode, params, features, opts, false)
}

/** The people rows, each with its person's id last. */
export function queryPeopleWithIds(client: ClickHouseClient, mode: Mode, params: Record<string, unknown>, features: readonly FeatureDefinition[], opts: PeopleQueryOptions = {}): Promise<PersonPeopleRow[]> {
  return readRows<PersonPeopleRow>(client, mode, params, features, opts, true)
}

/** The row without its person id: what the report's statistics read (and order by). */
export const withoutPerson = (r: PersonPeopleRow): PeopleRow => r.slice(0, -1) as unknown as PeopleRow
