/**
 * Standard normal distribution: CDF by Hart's (1968) rational approximation as given by
 * West (2005), accurate to about 1e-14 absolute (and 1e-8 relative in the far tail), and the quantile by
 * Wichura's AS241 (PPND16), accurate to about 1e-16. Both are needed in the tails (tiny
 * p-values, extreme z), where the usual short erf approximations lose all relative precision.
 */

/** P(Z ≤ x) for Z ~ N(0, 1). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  const ax = Math.abs(x)
  let tail: number
  if (ax > 37) {
    tail = 0
  } else {
    const e = Math.exp(-(ax * ax) / 2)
    if (ax < 7.07106781186547) {
      let n = 3.52624965998911e-2 * ax + 0.700383064443688
      n = n * ax + 6.37396220353165
      n = n * ax + 33.912866078383
      n = n * ax + 112.079291497871
      n = n * ax + 221.213596169931
      n = n * ax + 220.206867912376
      let d = 8.83883476483184e-2 * ax + 1.75566716318264
      d = d * ax + 16.064177579207
      d = d * ax + 86.7807322029461
      d = d * ax + 296.564248779674
      d = d * ax + 637.333633378831
      d = d * ax + 793.826512519948
      d = d * ax + 440.413735824752
      tail = (e * n) / d
    } else {
      let b = ax + 0.65
      b = ax + 4 / b
      b = ax + 3 / b
      b = ax + 2 / b
      b = ax + 1 / b
      tail = e / b / 2.506628274631
    }
  }
  return x > 0 ? 1 - tail : tail
}

/** Upper tail P(Z > x), computed without the cancellation of 1 − normalCdf(x). */
export function normalSurvival(x: number): number {
  return normalCdf(-x)
}

/** The x with P(Z ≤ x) = p; ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN
  if (p === 0) return Number.NEGATIVE_INFINITY
  if (p === 1) return Number.POSITIVE_INFINITY
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    )
  }
  let r = q < 0 ? p : 1 - p
  r = Math.sqrt(-Math.log(r))
  let val: number
  if (r <= 5) {
    r -= 1.6
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1)
  } else {
    r -= 5
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1)
  }
  return q < 0 ? -val : val
}

/** The two-sided critical value for a confidence level, e.g. 0.95 → 1.959963984540054. */
export function zForConfidence(level: number): number {
  return normalQuantile(1 - (1 - level) / 2)
}

/** z at 95% confidence, the default of every interval in the reports. */
export const Z95 = 1.959963984540054
