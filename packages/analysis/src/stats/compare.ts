import { fisherExact, needsExactTest } from './fisher.js'
import { newcombeDifference, type Difference } from './newcombe.js'
import { Z95 } from './normal.js'
import { wilson, type Proportion } from './wilson.js'
import { twoProportionZTest } from './z-test.js'

/** Group 1 (e.g. adopters) against group 2 (the baseline, e.g. non-adopters). */
export interface ProportionComparison {
  group: Proportion
  baseline: Proportion
  /** rate(group) / rate(baseline); null when the baseline rate is 0 or a group is empty. */
  lift: number | null
  difference: Difference
  /** Two-sided p-value; null when a group is empty. */
  p: number | null
  test: 'z' | 'fisher' | null
}

/**
 * Everything a report prints for "group vs baseline": both rates with Wilson intervals, the
 * difference with Newcombe's interval, the lift, and a two-sided p-value — the z-test, or
 * Fisher's exact test when an expected cell count is under 5 and the normal approximation
 * would mislead.
 */
export function compareProportions(k1: number, n1: number, k2: number, n2: number, z = Z95): ProportionComparison {
  const group = wilson(k1, n1, z)
  const baseline = wilson(k2, n2, z)
  const difference = newcombeDifference(k1, n1, k2, n2, z)
  const lift = group.rate !== null && baseline.rate !== null && baseline.rate > 0 ? group.rate / baseline.rate : null
  if (n1 === 0 || n2 === 0) return { group, baseline, lift, difference, p: null, test: null }
  if (needsExactTest(k1, n1, k2, n2)) {
    return { group, baseline, lift, difference, p: fisherExact(k1, n1, k2, n2), test: 'fisher' }
  }
  return { group, baseline, lift, difference, p: twoProportionZTest(k1, n1, k2, n2)!.p, test: 'z' }
}
