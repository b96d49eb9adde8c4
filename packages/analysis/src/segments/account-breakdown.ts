import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { loadBook } from '../accounts/load.js'
import { computeRevenueReport, type RevenueParams, type RevenueReport } from '../accounts/revenue-report.js'
import { toIsoDate } from '../accounts/dates.js'
import { AnalysisError, parseInput } from '../errors.js'
import { resolveContext } from '../retention/context.js'
import { Params } from '../sql/params.js'
import { restrictBook, segmentAccounts } from './accounts.js'
import { checkProperty } from './check.js'
import type { SegmentSelector } from './definition.js'
import { accountTraitSql, scope } from './properties.sql.js'
import type { AppliedSegment } from './resolve.js'

const AccountBreakdownParams = z.object({
  breakdown: z.string().regex(/^account\.[^\s.][^\n\r]{0,127}$/, 'an account property as account.<trait>').default('account.plan'),
  maxGroups: z.coerce.number().int().min(2).max(20).default(10),
})

/** The most common values of an account property among accounts as of an instant (most accounts first). */
export async function accountBreakdownValues(
  client: ClickHouseClient,
  where: { project: string; asOf: string },
  property: string,
  limit: number,
): Promise<{ value: string; accounts: number }[]> {
  const params = new Params('bd')
  const s = scope(params, where.project, where.asOf)
  const sql = `SELECT value, count() AS accounts FROM (${accountTraitSql(s, params, property.slice('account.'.length))}) WHERE value != ''
GROUP BY value ORDER BY accounts DESC, value LIMIT ${params.add(limit, 'UInt32')}`
  const rs = await client.query({ query: sql, query_params: params.values, format: 'JSONEachRow' })
  return (await rs.json<{ value: string; accounts: string }>()).map((r) => ({ value: r.value, accounts: Number(r.accounts) }))
}

export interface RevenueBreakdownGroup {
  value: string
  /** Accounts with this value as of the report (paying or not). */
  accounts: number
  report: RevenueReport
}

export interface RevenueBreakdown {
  report: 'revenue-breakdown'
  property: string
  overall: RevenueReport
  groups: RevenueBreakdownGroup[]
  segment: AppliedSegment | null
  note: string
}

/**
 * The revenue report (MRR, movements, renewal and logo rates, NRR/GRR) per value of an account
 * property, plan by default, beside the report for every account (of the segment, if any).
 */
export async function revenueBreakdown(
  client: ClickHouseClient,
  params: RevenueParams & SegmentSelector & { projectId: string; breakdown?: string; maxGroups?: number | string },
): Promise<RevenueBreakdown> {
  const b = parseInput(AccountBreakdownParams, { breakdown: params.breakdown, maxGroups: params.maxGroups })
  await checkProperty(client, params.projectId, b.breakdown, 'breakdown')
  const asOf = params.asOf ?? toIsoDate(new Date())
  const ctx = await resolveContext(client, params.projectId, { asOf })
  const [book, segment, values] = await Promise.all([
    loadBook(client, params.projectId),
    segmentAccounts(client, params.projectId, asOf, params),
    accountBreakdownValues(client, ctx, b.breakdown, b.maxGroups),
  ])
  const base = segment ? restrictBook(book, segment.accounts) : book
  const overall = computeRevenueReport(base, params)
  const groups: RevenueBreakdownGroup[] = []
  for (const { value } of values) {
    const members = await segmentAccounts(client, params.projectId, asOf, { group: { property: b.breakdown, value } })
    if (!members) throw new AnalysisError('invalid', `breakdown: no accounts for ${b.breakdown}`, 'breakdown')
    groups.push({ value, accounts: members.accounts.size, report: computeRevenueReport(restrictBook(base, members.accounts), params) })
  }
  return {
    report: 'revenue-breakdown', property: b.breakdown, overall, groups, segment: segment?.applied ?? null,
    note: `Groups are the most common values of ${b.breakdown} as of the report; accounts without a value are in no group.`,
  }
}
