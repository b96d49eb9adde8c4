import { benjaminiHochberg, compareProportions, wilson, type ProportionComparison, type Proportion } from '../stats/index.js'

export interface RenewalUsage {
  renewed: boolean
  /** Features used in the look-back window. */
  features: ReadonlySet<string>
}

export interface FeatureRenewalRow {
  feature: string
  /** Renewals of accounts that used the feature vs those that did not, with intervals, lift, p and q. */
  comparison: ProportionComparison
  q: number | null
  /** q < alpha, lift > 1 and at least `minN` accounts used it. */
  highRenewal: boolean
}

export interface FeatureRenewalReport {
  minN: number
  alpha: number
  /** Renewal rate over every renewal in the report: the baseline beside every rate. */
  overall: Proportion
  /** Ranked by q, then lift. */
  features: FeatureRenewalRow[]
  /** Features with fewer than `minN` using accounts (or no non-users): listed, never ranked. */
  notEnoughData: { feature: string; users: number; nonUsers: number }[]
  note: string
}

export const ASSOCIATION_NOTE =
  'Association, not proof of cause: accounts that use a feature may differ in other ways (size, plan, engagement). Each rate is shown beside the non-user baseline.'

/** Renewal rate of accounts that used each feature in the look-back window vs those that did not (spec §6, tests as §4). */
export function featureRenewal(rows: readonly RenewalUsage[], opts: { minN?: number; alpha?: number } = {}): FeatureRenewalReport {
  const minN = opts.minN ?? 30
  const alpha = opts.alpha ?? 0.05
  const features = [...new Set(rows.flatMap((r) => [...r.features]))].sort()
  const renewedTotal = rows.filter((r) => r.renewed).length
  const tested: { feature: string; comparison: ProportionComparison }[] = []
  const notEnoughData: FeatureRenewalReport['notEnoughData'] = []
  for (const feature of features) {
    let n1 = 0
    let k1 = 0
    for (const r of rows) {
      if (!r.features.has(feature)) continue
      n1 += 1
      if (r.renewed) k1 += 1
    }
    const n0 = rows.length - n1
    const k0 = renewedTotal - k1
    if (n1 < minN || n0 === 0) {
      notEnoughData.push({ feature, users: n1, nonUsers: n0 })
      continue
    }
    tested.push({ feature, comparison: compareProportions(k1, n1, k0, n0) })
  }
  const qs = benjaminiHochberg(tested.map((t) => t.comparison.p))
  const ranked = tested.map((t, i): FeatureRenewalRow => {
    const q = qs[i] ?? null
    return { ...t, q, highRenewal: q !== null && q < alpha && (t.comparison.lift ?? 0) > 1 }
  })
  ranked.sort((a, b) => (a.q ?? 2) - (b.q ?? 2) || (b.comparison.lift ?? 0) - (a.comparison.lift ?? 0) || (a.feature < b.feature ? -1 : 1))
  return { minN, alpha, overall: wilson(renewedTotal, rows.length), features: ranked, notEnoughData, note: ASSOCIATION_NOTE }
}
