import { newcombeDifference } from '../stats/newcombe.js'

export interface Bucket {
  uses: number
  users: number
  retained: number
}

/**
 * The smallest number of uses after which retention stops rising: among buckets with at least
 * `minN` users, the smallest count c ≥ 1 such that no larger count retains significantly better
 * than c (Newcombe 95% interval of the difference above 0). Null when no count c ≥ 1 retains
 * significantly better than zero uses, i.e. there is no "aha" in the data.
 */
export function ahaThreshold(buckets: readonly Bucket[], minN: number): number | null {
  const ok = buckets.filter((b) => b.users >= minN).sort((a, b) => a.uses - b.uses)
  const zero = ok.find((b) => b.uses === 0)
  if (!zero) return null
  const better = (hi: Bucket, lo: Bucket): boolean => (newcombeDifference(hi.retained, hi.users, lo.retained, lo.users).low ?? 0) > 0
  if (!ok.some((b) => b.uses >= 1 && better(b, zero))) return null
  for (const c of ok) {
    if (c.uses < 1) continue
    if (!ok.some((later) => later.uses > c.uses && better(later, c))) return c.uses
  }
  return null
}
