import type { ClickHouseClient } from '@clickhouse/client'
import { wilson, type Proportion } from '../stats/wilson.js'
import { prepareFeatures, resolveContext, targetParams, type ReportContext } from './context.js'
import { compareFeatures, strataBounds, strataLabels, type FeatureComparison, type StratumCounts } from './high-retention-stats.js'
import { highRetentionSql } from './high-retention.sql.js'
import { HighRetentionParams, parseParams } from './params.js'

export interface HighRetentionRow extends FeatureComparison {
  name: string
  version: number
}

export interface HighRetentionReport extends ReportContext {
  report: 'high-retention'
  from: string
  to: string
  n: number
  mode: 'on' | 'on_or_after'
  window: number
  minN: number
  population: {
    /** New users (first activity in [from, to]). */
    newUsers: number
    /** Left out because day N was not complete by the as-of day. */
    censored: number
    /** Everyone compared: the day-N retention of all eligible new users. */
    baseline: Proportion
  }
  strata: { label: string; users: number }[]
  /** Flagged first (by adjusted lift), then the other tested features, then "not enough data". */
  features: HighRetentionRow[]
  note: string
}

const NOTE =
  'Association, not proof of cause: adopters may differ from non-adopters in ways the report cannot see. ' +
  'Features are flagged on the comparison within strata of first-week activity only.'

/**
 * High-retention features (metrics spec §4): new users who used a feature in their first
 * `window` days against those who did not, on day-N product retention; crude rates with Wilson
 * intervals, Newcombe difference, lift, p (Fisher's exact at small counts) and BH q-values; the
 * same comparison stratified by active days in the first week (Mantel–Haenszel), on which alone
 * a feature is flagged. Use is measured on days 0…window−1 and n ≥ window, so exposure and
 * outcome never overlap.
 */
export async function highRetentionReport(
  client: ClickHouseClient,
  input: HighRetentionParams & { project: string },
): Promise<HighRetentionReport> {
  const p = parseParams(HighRetentionParams, input)
  const ctx = await resolveContext(client, input.project, p)
  const features = await prepareFeatures(client, ctx, p.features)
  const bounds = strataBounds(p.window)
  const labels = strataLabels(bounds, p.window)
  const rs = await client.query({
    query: highRetentionSql(p.mode),
    query_params: { ...targetParams(ctx, features), from: p.from, to: p.to, n: p.n, window: p.window, strata: bounds },
    format: 'JSONEachRow',
  })
  const rows = (await rs.json<{ t: number; stratum: number; retained: number; users: string }>()).map((r) => ({
    t: Number(r.t),
    stratum: Number(r.stratum) - 1,
    retained: Number(r.retained) === 1,
    users: Number(r.users),
  }))
  const count = (t: number, stratum: number, retained?: boolean): number =>
    rows
      .filter((r) => r.t === t && r.stratum === stratum && (retained === undefined || r.retained === retained))
      .reduce((s, r) => s + r.users, 0)
  const censored = rows.filter((r) => r.t === 0).reduce((s, r) => s + r.users, 0)
  const everyone = rows.filter((r) => r.t === 1)
  const eligible = everyone.reduce((s, r) => s + r.users, 0)
  const retainedAll = everyone.filter((r) => r.retained).reduce((s, r) => s + r.users, 0)

  const comparisons = compareFeatures(
    features.map((f, i) => ({
      featureId: f.id,
      strata: bounds.map((_, s): StratumCounts => {
        const adopters = count(i + 2, s)
        const retainedAdopters = count(i + 2, s, true)
        return {
          adopters,
          retainedAdopters,
          nonAdopters: count(1, s) - adopters,
          retainedNonAdopters: count(1, s, true) - retainedAdopters,
        }
      }),
    })),
    labels,
    { minN: p.minN },
  )
  const rank = (r: FeatureComparison): number => (r.highRetention ? 0 : r.status === 'tested' ? 1 : 2)
  const out = comparisons
    .map((c, i) => ({ ...c, name: features[i]!.name, version: features[i]!.version }))
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (rank(a) < 2 ? (b.adjusted.lift ?? 0) - (a.adjusted.lift ?? 0) : b.adopters.n - a.adopters.n) ||
        a.name.localeCompare(b.name),
    )
  return {
    report: 'high-retention',
    ...ctx,
    from: p.from,
    to: p.to,
    n: p.n,
    mode: p.mode,
    window: p.window,
    minN: p.minN,
    population: { newUsers: eligible + censored, censored, baseline: wilson(retainedAll, eligible) },
    strata: labels.map((label, s) => ({ label, users: count(1, s) })),
    features: out,
    note: NOTE,
  }
}
