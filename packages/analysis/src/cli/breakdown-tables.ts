import type { FeatureRetentionBreakdown, HighRetentionBreakdown, RetentionBreakdown } from '../segments/breakdown.js'
import { rateCell, type OutputFormat, type Table } from './format.js'

/** One row per group (everyone first): its size and the day-N rates. */
export function retentionBreakdownTables(r: RetentionBreakdown, format: OutputFormat): Table[] {
  const days = r.overall.days
  const rows = [{ value: 'everyone', status: 'ok', report: r.overall }, ...r.groups, r.none].map((g) => {
    const t = g.report.total
    return format === 'csv'
      ? t.cells.map((c) => [g.value, g.status, t.size, c.n, c.eligible, c.censored, c.retained, c.rate, c.low, c.high])
      : [[g.value, g.status, t.size, ...t.cells.map((c) => rateCell(c.retained, c.eligible, c.rate))]]
  })
  const columns = format === 'csv'
    ? ['group', 'status', 'size', 'n', 'eligible', 'censored', 'retained', 'rate', 'low', 'high']
    : ['group', 'status', 'size', ...days.map((n) => `day ${n}`)]
  return [{ title: `Retention by ${r.property}`, columns, rows: rows.flat() }]
}

/** Every group × feature cell with q-values over all cells, then the heterogeneity test per feature. */
export function highRetentionBreakdownTables(r: HighRetentionBreakdown, format: OutputFormat): Table[] {
  const csv = format === 'csv'
  // People without a value: their comparisons are shown last, outside the q-values (no q, no flag).
  const none = r.none.report.features.map((f) => ({
    group: r.none.value, featureId: f.featureId, name: f.name, status: r.none.status === 'ok' ? f.status : ('not_enough_data' as const),
    adopters: f.adopters, nonAdopters: f.nonAdopters, lift: f.lift, p: f.p, q: null, adjustedLift: f.adjusted.lift, adjustedP: f.adjusted.p, adjustedQ: null, highRetention: false,
  }))
  const cells: Table = {
    title: `Features by ${r.property} (q over every group × feature cell)`,
    columns: csv
      ? ['group', 'feature_id', 'name', 'status', 'adopters', 'retained_adopters', 'non_adopters', 'retained_non_adopters', 'lift', 'p', 'q', 'adjusted_lift', 'adjusted_p', 'adjusted_q', 'high_retention']
      : ['group', 'feature', 'status', 'adopters', 'non-adopters', 'lift', 'q', 'adj. lift', 'adj. q', 'flag'],
    rows: [...r.cells, ...none].map((c) =>
      csv
        ? [c.group, c.featureId, c.name, c.status, c.adopters.n, c.adopters.k, c.nonAdopters.n, c.nonAdopters.k, c.lift, c.p, c.q, c.adjustedLift, c.adjustedP, c.adjustedQ, String(c.highRetention)]
        : [c.group, c.name, c.status, rateCell(c.adopters.k, c.adopters.n, c.adopters.rate), rateCell(c.nonAdopters.k, c.nonAdopters.n, c.nonAdopters.rate),
          c.lift, c.q, c.adjustedLift, c.adjustedQ, c.highRetention ? 'high retention' : ''],
    ),
  }
  if (csv) return [cells]
  const het: Table = {
    title: "Does the lift differ across groups? (Cochran's Q on log risk ratios)",
    columns: ['feature', 'groups', 'Q', 'df', 'p', 'I²'],
    rows: r.heterogeneity.map((h) => [h.name, h.groups, h.q, h.df, h.p, h.i2]),
  }
  return [cells, het]
}

/** One row per group (everyone first) and feature: adoption and the day-N rates of its new adopters. */
export function featureRetentionBreakdownTables(r: FeatureRetentionBreakdown, format: OutputFormat): Table[] {
  const csv = format === 'csv'
  const groups = [{ value: 'everyone', status: 'ok', report: r.overall }, ...r.groups, r.none]
  const rows = groups.flatMap((g) =>
    g.report.features.flatMap((f) =>
      csv
        ? f.cells.map((c) => [g.value, g.status, f.featureId, f.name, f.activeUsers, f.adopters, f.adoption.rate, f.newAdopters, c.n, c.eligible, c.censored, c.retained, c.rate, c.low, c.high])
        : [[g.value, g.status, f.name, rateCell(f.adopters, f.activeUsers, f.adoption.rate), f.newAdopters, ...f.cells.map((c) => rateCell(c.retained, c.eligible, c.rate))]],
    ),
  )
  const columns = csv
    ? ['group', 'status', 'feature_id', 'name', 'active_users', 'adopters', 'adoption', 'new_adopters', 'n', 'eligible', 'censored', 'retained', 'rate', 'low', 'high']
    : ['group', 'status', 'feature', 'adoption', 'new adopters', ...r.overall.days.map((n) => `day ${n}`)]
  return [{ title: `Feature retention by ${r.property}`, columns, rows }]
}
