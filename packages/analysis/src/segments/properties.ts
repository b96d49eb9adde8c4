import type { ClickHouseClient } from '@clickhouse/client'
import { Params } from '../sql/params.js'
import { EVENTS } from '../events.js'
import { DERIVED_ARR, FIRST_TOUCH_FIELDS, IMPORTED_ACCOUNT_COLUMNS, scope, traitNamesSql } from './properties.sql.js'

export interface PropertyInfo {
  name: string
  source: 'person' | 'account' | 'first'
}

/**
 * The properties a segment or breakdown may name: the traits identify and group events carry,
 * the imported account columns (when the project imported accounts), ARR (when it imported
 * contracts), and the first-touch fields (the country once a page view has one: the collector
 * looks it up only when it stores IPs).
 */
export async function listProperties(client: ClickHouseClient, project: string): Promise<PropertyInfo[]> {
  const params = new Params('prop')
  const s = scope(params, project, new Date().toISOString())
  const names = async (source: 'person' | 'account') => {
    const rs = await client.query({ query: traitNamesSql(s, source), query_params: params.values, format: 'JSONEachRow' })
    return (await rs.json<{ name: string }>()).map((r) => r.name)
  }
  const imported = await client.query({
    query: `SELECT (SELECT count() FROM accounts WHERE project_id = {project:String}) AS n, (SELECT count() FROM contract_versions WHERE project_id = {project:String}) AS contracts,
      (SELECT count() FROM (SELECT 1 FROM events WHERE project_id = {project:String} AND event = {pageview:String} AND country != '' LIMIT 1)) AS countries`,
    query_params: { project, pageview: EVENTS.pageview },
    format: 'JSONEachRow',
  })
  const [{ n, contracts, countries }] = await imported.json<{ n: string; contracts: string; countries: string }>() as [{ n: string; contracts: string; countries: string }]
  const [person, group] = await Promise.all([names('person'), names('account')])
  const account = new Set(group)
  if (Number(n) > 0) for (const c of Object.keys(IMPORTED_ACCOUNT_COLUMNS)) account.add(c)
  if (Number(contracts) > 0) account.add(DERIVED_ARR)
  return [
    ...person.map((t) => ({ name: `person.${t}`, source: 'person' as const })),
    ...[...account].sort().map((t) => ({ name: `account.${t}`, source: 'account' as const })),
    ...Object.keys(FIRST_TOUCH_FIELDS)
      .filter((f) => f !== 'country' || Number(countries) > 0)
      .map((f) => ({ name: `first.${f}`, source: 'first' as const })),
  ]
}
