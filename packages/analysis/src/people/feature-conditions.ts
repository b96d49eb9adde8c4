import type { ClickHouseClient } from '@clickhouse/client'
import { compileRules } from '../features/compile.js'
import { listFeatures } from '../features/store.js'
import { Params } from '../sql/params.js'

export interface NamedCondition {
  id: string
  name: string
  sql: string
}

/**
 * The project's features as conditions over one events row, with their names; parameters land in
 * `params`. A project without definitions gets none (its raw feature keys stand in for features).
 */
export async function featureConditions(client: ClickHouseClient, projectId: string, params: Params): Promise<NamedCondition[]> {
  const defs = await listFeatures(client, projectId)
  return defs.map((d) => ({ id: d.id, name: d.name, sql: compileRules(d.rules, params) }))
}

/** `['id1', …]` of the features a row counts for, as one SQL array expression. */
export function matchedFeaturesSql(conds: readonly NamedCondition[], params: Params): string {
  if (conds.length === 0) return `if(feature_key != '', [feature_key], [])`
  return `arrayFilter(x -> x != '', [${conds.map((c) => `if(${c.sql}, ${params.add(c.id, 'String')}, '')`).join(', ')}])`
}
