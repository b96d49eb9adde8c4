import type { ClickHouseClient } from '@clickhouse/client'
import { AnalysisError, compileRules, FeatureRule, NON_ACTIVITY_EVENTS, Params } from '@tenure/analysis'
import { featurePreviewSql } from './feature-preview.sql.js'

export interface FeaturePreview {
  users: number
  events: number
  days: number
}

/** Counts what a draft definition matches, before it is saved. Invalid rules are refused like on save. */
export async function previewFeature(client: ClickHouseClient, projectId: string, rules: unknown[], days = 30): Promise<FeaturePreview> {
  if (rules.length === 0) throw new AnalysisError('invalid', 'add at least one rule', 'rules')
  const parsed = FeatureRule.array().max(50).safeParse(rules)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = ['rules', ...issue.path].join('.')
    throw new AnalysisError('invalid', `${field}: ${issue.message}`, field)
  }
  const params = new Params('r')
  const condition = compileRules(parsed.data, params)
  const rs = await client.query({
    query: featurePreviewSql(condition),
    query_params: { ...params.values, project: projectId, days, non_activity: [...NON_ACTIVITY_EVENTS] },
    format: 'JSONEachRow',
  })
  const [row] = await rs.json<{ users: string; events: string }>()
  return { users: Number(row?.users ?? 0), events: Number(row?.events ?? 0), days }
}
