import { Z95 } from './normal.js'

/** A proportion with its confidence interval; `rate` is null when n = 0 (nothing to estimate). */
export interface Proportion {
  k: number
  n: number
  rate: number | null
  low: number | null
  high: number | null
}

/**
 * Wilson score interval for k successes in n trials (metrics spec §4):
 * (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n). Unlike the Wald interval it stays
 * inside [0, 1] and keeps its coverage at small n and rates near 0 or 1.
 */
export function wilson(k: number, n: number, z = Z95): Proportion {
  checkCounts(k, n)
  if (n === 0) return { k, n, rate: null, low: null, high: null }
  const p = k / n
  const z2 = z * z
  const centre = p + z2 / (2 * n)
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  const denom = 1 + z2 / n
  // At k = 0 or k = n the formula gives exactly 0 or 1; rounding must not push it past.
  const low = k === 0 ? 0 : Math.max(0, (centre - half) / denom)
  const high = k === n ? 1 : Math.min(1, (centre + half) / denom)
  return { k, n, rate: p, low, high }
}

export function checkCounts(k: number, n: number): void {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new RangeError(`invalid counts: ${k} of ${n}`)
  }
}
