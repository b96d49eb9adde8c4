import { featureRenewal } from './feature-renewal.js'
import type { IsoDate } from './dates.js'
import type { WindowUsage } from './usage.js'
import { splitInTime } from './health-validation.js'

/**
 * The feature the feature × renewal comparison finds (metrics.md §6 allows it as a component):
 * among the training renewals only — the earlier share the score is fitted on — the flagged
 * feature with the largest lift, so the held-out renewals stay unseen when it is chosen.
 * Null when none is flagged.
 */
export function renewalFeatureComponent(
  renewals: readonly { id: string; dueDate: IsoDate; renewed: boolean }[],
  usage: ReadonlyMap<string, WindowUsage>,
  trainShare: number,
): { component: `feature:${string}`; feature: string } | null {
  const { train } = splitInTime(renewals, trainShare)
  const rows = train.map((r) => ({
    renewed: r.renewed,
    features: new Set([...(usage.get(r.id)?.features ?? new Map()).entries()].filter(([, f]) => f.users > 0).map(([k]) => k)),
  }))
  // A smaller minimum than the report's 30: the training share of a young book is small.
  const report = featureRenewal(rows, { minN: 10 })
  const best = report.features.filter((f) => f.highRenewal).sort((a, b) => (b.comparison.lift ?? 0) - (a.comparison.lift ?? 0))[0]
  return best ? { component: `feature:${best.feature}`, feature: best.feature } : null
}
