import type { Proportion, ProportionComparison } from '@tenure/analysis'
import { fmtInterval, fmtNum, fmtP, fmtPct, fmtRatio } from '../format.js'
import type { Column } from '../table.js'

/** A rate with its 95 % interval (and, when asked, its n) under it. */
export function RateCell(props: { p: Pick<Proportion, 'rate' | 'low' | 'high' | 'n'>; n?: boolean }) {
  return (
    <>
      {fmtPct(props.p.rate)}
      <small class="ci">
        {fmtInterval(props.p.low, props.p.high)}
        {props.n ? ` · n=${fmtNum(props.p.n)}` : ''}
      </small>
    </>
  )
}

export function diffText(d: number | null): string {
  if (d === null) return '—'
  return `${d > 0 ? '+' : ''}${fmtNum(d * 100, 1)} pts`
}

export function diffInterval(lo: number | null, hi: number | null): string {
  if (lo === null || hi === null) return '—'
  return `${fmtNum(lo * 100, 1)} to ${fmtNum(hi * 100, 1)}`
}

/**
 * Columns of a group-versus-baseline comparison (users of a feature vs the rest): each rate with
 * its 95 % interval beside the baseline's, lift, the difference with its interval, p and q. On the
 * page an interval and n sit under their rate; the CSV has each count and bound in a column of its own.
 */
export function comparisonColumns<R>(cmp: (r: R) => ProportionComparison, q: (r: R) => number | null, names: { group: string; baseline: string; success: string }): Column<R>[] {
  return [
    { key: 'n_group', label: `n ${names.group}`, csvOnly: true, value: (r) => cmp(r).group.n },
    { key: 'k_group', label: names.success, csvOnly: true, value: (r) => cmp(r).group.k },
    { key: 'rate_group', label: `${names.group} (95% CI, n)`, numeric: true, value: (r) => cmp(r).group.rate, show: (r) => <RateCell p={cmp(r).group} n /> },
    { key: 'rate_group_low', label: 'low', csvOnly: true, value: (r) => cmp(r).group.low },
    { key: 'rate_group_high', label: 'high', csvOnly: true, value: (r) => cmp(r).group.high },
    { key: 'n_baseline', label: `n ${names.baseline}`, csvOnly: true, value: (r) => cmp(r).baseline.n },
    { key: 'k_baseline', label: 'k', csvOnly: true, value: (r) => cmp(r).baseline.k },
    { key: 'rate_baseline', label: `${names.baseline} (95% CI, n)`, numeric: true, value: (r) => cmp(r).baseline.rate, show: (r) => <RateCell p={cmp(r).baseline} n /> },
    { key: 'rate_baseline_low', label: 'low', csvOnly: true, value: (r) => cmp(r).baseline.low },
    { key: 'rate_baseline_high', label: 'high', csvOnly: true, value: (r) => cmp(r).baseline.high },
    { key: 'lift', label: 'Lift', numeric: true, value: (r) => cmp(r).lift, show: (r) => fmtRatio(cmp(r).lift) },
    {
      key: 'difference', label: 'Difference (95% CI)', numeric: true, value: (r) => cmp(r).difference.diff,
      show: (r) => (
        <>
          {diffText(cmp(r).difference.diff)}
          <small class="ci">{diffInterval(cmp(r).difference.low, cmp(r).difference.high)}</small>
        </>
      ),
    },
    { key: 'difference_low', label: 'low', csvOnly: true, value: (r) => cmp(r).difference.low },
    { key: 'difference_high', label: 'high', csvOnly: true, value: (r) => cmp(r).difference.high },
    { key: 'p', label: 'p', numeric: true, value: (r) => cmp(r).p, show: (r) => fmtP(cmp(r).p) },
    { key: 'q', label: 'q', numeric: true, value: (r) => q(r), show: (r) => fmtP(q(r)) },
  ]
}
