/**
 * E-value of a risk ratio (VanderWeele & Ding, 2017): the minimum strength of association, on the
 * risk-ratio scale, that an unmeasured confounder would need with both the exposure and the
 * outcome to explain the observed ratio away: RR + sqrt(RR·(RR − 1)), with RR < 1 inverted first.
 */
export function eValue(rr: number | null): number | null {
  if (rr === null || !Number.isFinite(rr) || rr <= 0) return null
  const r = rr < 1 ? 1 / rr : rr
  return r + Math.sqrt(r * (r - 1))
}

/**
 * E-value of the confidence limit nearer to 1 (for RR > 1, the lower limit): 1 when the interval
 * already includes 1, since no confounding at all is needed to move it there.
 */
export function eValueOfLimit(rr: number | null, low: number | null, high: number | null): number | null {
  if (rr === null || low === null || high === null) return null
  if (low <= 1 && high >= 1) return 1
  return eValue(rr > 1 ? low : high)
}
