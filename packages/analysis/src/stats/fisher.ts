import { checkCounts } from './wilson.js'

/**
 * Two-sided Fisher's exact test of a 2×2 table [[k1, n1−k1], [k2, n2−k2]]: the sum of the
 * hypergeometric probabilities of every table with the same margins that is no more likely
 * than the observed one (the convention of R's fisher.test, with the same relative tolerance
 * so that tables tied in probability are not dropped by rounding).
 */
export function fisherExact(k1: number, n1: number, k2: number, n2: number): number {
  checkCounts(k1, n1)
  checkCounts(k2, n2)
  const successes = k1 + k2
  const total = n1 + n2
  if (n1 === 0 || n2 === 0 || successes === 0 || successes === total) return 1
  const lo = Math.max(0, successes - n2)
  const hi = Math.min(successes, n1)
  const logP = (x: number): number =>
    logChoose(n1, x) + logChoose(n2, successes - x) - logChoose(total, successes)
  const observed = logP(k1)
  const tolerance = 1 + 1e-7
  let p = 0
  for (let x = lo; x <= hi; x++) {
    const lp = logP(x)
    if (lp <= observed + Math.log(tolerance)) p += Math.exp(lp)
  }
  return Math.min(1, p)
}

/** Counts small enough that the normal approximation of the z-test is not trusted (Cochran's rule). */
export function needsExactTest(k1: number, n1: number, k2: number, n2: number): boolean {
  const total = n1 + n2
  if (total === 0) return false
  const successes = k1 + k2
  const failures = total - successes
  const expected = [
    (n1 * successes) / total,
    (n1 * failures) / total,
    (n2 * successes) / total,
    (n2 * failures) / total,
  ]
  return expected.some((e) => e < 5)
}

const logFactorials: number[] = [0]

function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1]! + Math.log(i)
  return logFactorials[n]!
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k)
}
