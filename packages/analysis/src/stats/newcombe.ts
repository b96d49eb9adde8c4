import { Z95 } from './normal.js'
import { checkCounts, wilson } from './wilson.js'

export interface Difference {
  /** p1 − p2; null when either group is empty. */
  diff: number | null
  low: number | null
  high: number | null
}

/**
 * Interval for p1 − p2 = k1/n1 − k2/n2 by Newcombe's hybrid score method (method 10 of
 * Newcombe 1998, Statistics in Medicine 17:873–890): the Wilson limits of each proportion
 * combined by square-and-add. It behaves well at small counts and at rates of 0 or 1,
 * where the Wald difference interval collapses or overshoots.
 */
export function newcombeDifference(k1: number, n1: number, k2: number, n2: number, z = Z95): Difference {
  checkCounts(k1, n1)
  checkCounts(k2, n2)
  if (n1 === 0 || n2 === 0) return { diff: null, low: null, high: null }
  const a = wilson(k1, n1, z)
  const b = wilson(k2, n2, z)
  const p1 = k1 / n1
  const p2 = k2 / n2
  const l1 = a.low!
  const u1 = a.high!
  const l2 = b.low!
  const u2 = b.high!
  const d = p1 - p2
  const low = d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
  const high = d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
  return { diff: d, low: Math.max(-1, low), high: Math.min(1, high) }
}
