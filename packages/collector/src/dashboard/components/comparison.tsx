import type { ProportionComparison } from '@tenure/analysis'
import { fmtInterval, fmtNum, fmtP, fmtPct, fmtRatio } from '../format.js'
import type { Column } from '../table.js'

/**
 * Columns of a group-versus-baseline comparison (users of a feature vs the rest): each rate with
 * its 95 % interval beside the baseline's, lift, the difference with its interval, p and q.
 */
export function comparisonColumns<R>(cmp: (r: R) => ProportionComparison, q: (r: R) => number | null, names: { group: string; baseline: string; success: string }): Column<R>[] {
  return [
    { key: 'n_group', label: `n ${names.group}`, numeric: true, value: (r) => cmp(r).group.n, show: (r) => fmtNum(cmp(r).group.n) },
    { key: 'k_group', label: names.success, numeric: true, value: (r) => cmp(r).group.k, show: (r) => fmtNum(cmp(r).group.k) },
    { key: 'rate_group', label: `Rate ${names.group}`, numeric: true, value: (r) => cmp(r).group.rate, show: (r) => fmtPct(cmp(r).group.rate) },
    { key: 'rate_group_low', label: '95% interval', numeric: true, value: (r) => cmp(r).group.low, show: (r) => fmtInterval(cmp(r).group.low, cmp(r).group.high) },
    { key: 'rate_group_high', label: 'high', csvOnly: true, value: (r) => cmp(r).group.high },
    { key: 'n_baseline', label: `n ${names.baseline}`, numeric: true, value: (r) => cmp(r).baseline.n, show: (r) => fmtNum(cmp(r).baseline.n) },
    { key: 'rate_baseline', label: `Rate ${names.baseline}`, numeric: true, value: (r) => cmp(r).baseline.rate, show: (r) => fmtPct(cmp(r).baseline.rate) },
    { key: 'rate_baseline_low', label: '95% interval', numeric: true, value: (r) => cmp(r).baseline.low, show: (r) => fmtInterval(cmp(r).baseline.low, cmp(r).baseline.high) },
    { key: 'rate_baseline_high', label: 'high', csvOnly: true, value: (r) => cmp(r).baseline.high },
    { key: 'lift', label: 'Lift', numeric: true, value: (r) => cmp(r).lift, show: (r) => fmtRatio(cmp(r).lift) },
    { key: 'difference', label: 'Difference', numeric: true, value: (r) => cmp(r).difference.diff, show: (r) => diffText(cmp(r).difference.diff) },
    { key: 'difference_low', label: '95% interval', numeric: true, value: (r) => cmp(r).difference.low, show: (r) => diffInterval(cmp(r).difference.low, cmp(r).difference.high) },
    { key: 'difference_high', label: 'high', csvOnly: true, value: (r) => cmp(r).difference.high },
    { key: 'p', label: 'p', numeric: true, value: (r) => cmp(r).p, show: (r) => fmtP(cmp(r).p) },
    { key: 'q', label: 'q', numeric: true, value: (r) => q(r), show: (r) => fmtP(q(r)) },
  ]
}

function diffText(d: number | null): string {
  if (d === null) return '—'
  return `${d > 0 ? '+' : ''}${fmtNum(d * 100, 1)} pts`
}

function diffInterval(lo: number | null, hi: number | null): string {
  if (lo === null || hi === null) return '—'
  return `${fmtNum(lo * 100, 1)} to ${fmtNum(hi * 100, 1)} pts`
}
