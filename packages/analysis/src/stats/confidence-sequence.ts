/**
 * Always-valid critical values: the two-sided normal-mixture boundary of Robbins (1970), in the
 * asymptotic confidence-sequence form of Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas (2021,
 * "Time-uniform central limit theory and asymptotic confidence sequences", eq. 2.6 / Thm 2.2).
 * For an average of t observations with standard deviation σ, the half-width
 *   σ · sqrt( 2(tρ² + 1) / (t²ρ²) · log( sqrt(tρ² + 1) / α ) )
 * holds at every t at once with probability ≥ 1 − α (asymptotically), so a report may be read
 * every day and stopped whenever. Written as a multiple of the estimate's standard error σ/√t,
 * it is the critical value returned here, to be used where a fixed-horizon report uses 1.96.
 *
 * ρ tunes where the boundary is tightest. It must not depend on the data, so it is set from a
 * planned sample size `tStar` fixed in advance (the optimum of Howard et al. 2021, eq. 3.4).
 */
export function mixtureRho(tStar: number, alpha = 0.05): number {
  if (!(tStar > 0)) throw new RangeError('tStar must be positive')
  const l = -2 * Math.log(alpha)
  return Math.sqrt((l + Math.log(l + 1)) / tStar)
}

/** Critical value of the always-valid interval after `t` observations (t ≥ 1). */
export function mixtureCriticalValue(t: number, alpha = 0.05, tStar = 1000): number {
  if (!(t >= 1)) throw new RangeError('t must be at least 1')
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must be in (0, 1)')
  const r2 = mixtureRho(tStar, alpha) ** 2
  const tr = t * r2
  return Math.sqrt(((2 * (tr + 1)) / tr) * Math.log(Math.sqrt(tr + 1) / alpha))
}
