/**
 * A confidence set for a ratio θ = a / b of two jointly normal estimates, by Fieller's (1954)
 * method: θ is in the set when the test of a − θ·b = 0 does not reject,
 *   (a − θ b)² ≤ c² (Vaa − 2θ Vab + θ² Vbb).
 * For an instrumental-variable ratio (ITT on the outcome ÷ ITT on the treatment) this is the
 * Anderson–Rubin set of a just-identified model: its coverage does not depend on the strength of
 * the denominator, which is why it is unbounded when b is not clearly away from 0. A delta-method
 * interval there would be short and wrong.
 */
export interface RatioSet {
  /**
   * `bounded`: [low, high]. `outside`: (−∞, low] ∪ [high, ∞) — the denominator is not
   * clearly non-zero but the numerator is. `all`: every value (nothing learned).
   */
  kind: 'bounded' | 'outside' | 'all'
  low: number | null
  high: number | null
}

export function fiellerSet(a: number, b: number, vaa: number, vbb: number, vab: number, c: number): RatioSet {
  const c2 = c * c
  const qa = b * b - c2 * vbb
  const qb = -2 * (a * b - c2 * vab)
  const qc = a * a - c2 * vaa
  const disc = qb * qb - 4 * qa * qc
  // Scale-aware zero: the coefficients are squares of estimates of order 1/n.
  const tiny = 1e-15 * (b * b + c2 * vbb + Math.abs(a * b) + c2 * Math.abs(vab) + a * a + c2 * vaa)
  if (qa > tiny) {
    // The Wald ratio (if defined) always satisfies the inequality, so disc ≥ 0 up to rounding.
    const r = Math.sqrt(Math.max(0, disc))
    return { kind: 'bounded', low: (-qb - r) / (2 * qa), high: (-qb + r) / (2 * qa) }
  }
  if (qa < -tiny && disc > 0) {
    const r = Math.sqrt(disc)
    const x1 = (-qb + r) / (2 * qa)
    const x2 = (-qb - r) / (2 * qa)
    return { kind: 'outside', low: Math.min(x1, x2), high: Math.max(x1, x2) }
  }
  return { kind: 'all', low: null, high: null }
}

/** Whether `x` lies in the set. */
export function ratioSetContains(s: RatioSet, x: number): boolean {
  if (s.kind === 'all') return true
  if (s.kind === 'bounded') return x >= s.low! && x <= s.high!
  return x <= s.low! || x >= s.high!
}
