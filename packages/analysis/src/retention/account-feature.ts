import type { ClickHouseClient } from '@clickhouse/client'
import { wilson, type Proportion } from '../stats/wilson.js'
import { accountDetailSql, accountFeatureSql } from './account-feature.sql.js'
import { retentionCells, type RetentionCell } from './cells.js'
import { activityCtes } from '../activity/rows.sql.js'
import { rollupCoverage, type RollupCoverage } from '../rollup/status.js'
import { prepareFeatures, resolveContext, targetParams, type ReportContext, statedContext, type StatedContext } from './context.js'
import { AccountFeatureParams, parseParams } from './params.js'
import { resolveSegment, segmentParams, type AppliedSegment } from '../segments/resolve.js'
import type { SegmentSelector } from '../segments/definition.js'

export interface AccountFeatureRow {
  featureId: string
  name: string
  version: number
  activeAccounts: number
  adoptingAccounts: number
  /** adoptingAccounts / activeAccounts with a Wilson interval. */
  adoption: Proportion
  /** Accounts whose first use of the feature ever is in [from, to]: the retention cohort. */
  newAccounts: number
  cells: RetentionCell[]
}

export interface AccountFeatureDetail {
  account: string
  activeUsers: number
  /** Features at least one active person of the account used in [from, to]. */
  features: { featureId: string; users: number; share: number }[]
}

export interface AccountFeatureReport extends StatedContext {
  report: 'account-features'
  /** Whether the activity rollup holds every stored event yet; the figures cover what it holds. */
  activity: RollupCoverage
  from: string
  to: string
  days: number[]
  mode: 'on' | 'on_or_after'
  return: 'feature' | 'any'
  features: AccountFeatureRow[]
  /** Present when `detail` was asked for. */
  accounts?: AccountFeatureDetail[]
  /** The segment the accounts were restricted to (accounts with a member in it, for people conditions). */
  segment: AppliedSegment | null
}

/**
 * Feature adoption and retention per account (B2B; renewals happen per account): an account
 * adopts a feature when any of its people uses it; it is retained on day N when any of them
 * uses it again (or is active, with `return: 'any'`) on day N after the account's first use.
 * With `detail`, each active account's people and adopters per feature.
 */
export async function accountFeatureReport(
  client: ClickHouseClient,
  input: AccountFeatureParams & { project: string } & SegmentSelector,
): Promise<AccountFeatureReport> {
  const p = parseParams(AccountFeatureParams, input)
  const ctx = await resolveContext(client, input.project, p)
  const [features, activity, segment] = await Promise.all([
    prepareFeatures(client, ctx, p.features),
    rollupCoverage(client, ctx.project),
    resolveSegment(client, ctx, input, 'account'),
  ])
  const params = { ...targetParams(ctx, features), from: p.from, to: p.to, days: p.days, ...segmentParams(segment?.filter) }
  const rs = await client.query({
    query: accountFeatureSql({ mode: p.mode, returnAny: p.return === 'any', segment: segment?.filter.sql }, activityCtes(features, ctx.combos)),
    query_params: params,
    format: 'JSONEachRow',
  })
  type Row = { t: number; active_accounts: string; adopting_accounts: string; new_accounts: string; eligible: string[]; retained: string[] }
  const byTarget = new Map((await rs.json<Row>()).map((r) => [Number(r.t), r]))
  const active = Number(byTarget.get(1)?.active_accounts ?? 0)
  const report: AccountFeatureReport = {
    report: 'account-features',
    ...statedContext(ctx),
    activity,
    from: p.from,
    to: p.to,
    days: p.days,
    mode: p.mode,
    return: p.return,
    segment: segment?.applied ?? null,
    features: features.map((f, i) => {
      const r = byTarget.get(i + 2)
      const adopting = Number(r?.adopting_accounts ?? 0)
      const newAccounts = Number(r?.new_accounts ?? 0)
      return {
        featureId: f.id,
        name: f.name,
        version: f.version,
        activeAccounts: active,
        adoptingAccounts: adopting,
        adoption: wilson(adopting, active),
        newAccounts,
        cells: retentionCells(p.days, newAccounts, (r?.eligible ?? []).map(Number), (r?.retained ?? []).map(Number)),
      }
    }),
  }
  if (!p.detail) return report
  const detail = await client.query({ query: accountDetailSql(activityCtes(features, ctx.combos), segment?.filter.sql), query_params: params, format: 'JSONEachRow' })
  const accounts = new Map<string, AccountFeatureDetail>()
  for (const r of await detail.json<{ account: string; t: number; users: string; active_users: string }>()) {
    const t = Number(r.t)
    let a = accounts.get(r.account)
    if (!a) accounts.set(r.account, (a = { account: r.account, activeUsers: Number(r.active_users), features: [] }))
    if (t >= 2) a.features.push({ featureId: features[t - 2]!.id, users: Number(r.users), share: Number(r.users) / a.activeUsers })
  }
  report.accounts = [...accounts.values()]
  return report
}
