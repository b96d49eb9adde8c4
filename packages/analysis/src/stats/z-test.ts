import { normalSurvival } from './normal.js'
import { checkCounts } from './wilson.js'

export interface ZTestResult {
  z: number
  /** Two-sided p-value. */
  p: number
}

/**
 * Two-sided two-proportion z-test with the pooled standard error (equivalent to the
 * uncorrected Pearson chi-square test on the 2×2 table). Null when a group is empty or the
 * pooled rate is 0 or 1, where the test has no variance to work with.
 */
export function twoProportionZTest(k1: number, n1: number, k2: number, n2: number): ZTestResult | null {
  checkCounts(k1, n1)
  checkCounts(k2, n2)
  if (n1 === 0 || n2 === 0) return null
  const pooled = (k1 + k2) / (n1 + n2)
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
  if (variance <= 0) return { z: 0, p: 1 }
  const z = (k1 / n1 - k2 / n2) / Math.sqrt(variance)
  return { z, p: Math.min(1, 2 * normalSurvival(Math.abs(z))) }
}
