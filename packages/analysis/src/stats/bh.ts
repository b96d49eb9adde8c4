/**
 * Benjamini–Hochberg q-values (false discovery rate adjusted p-values), in the input order:
 * q(i) = min over j ≥ rank(i) of p(j)·m/j, capped at 1 — the same as R's p.adjust(p, "BH").
 * Nulls (tests not run) stay null and do not count towards m.
 */
export function benjaminiHochberg(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = pValues
    .map((p, index) => ({ p, index }))
    .filter((t): t is { p: number; index: number } => t.p !== null)
  for (const t of tested) {
    if (!(t.p >= 0 && t.p <= 1)) throw new RangeError(`p-value out of range: ${t.p}`)
  }
  const m = tested.length
  const out: (number | null)[] = pValues.map(() => null)
  tested.sort((a, b) => b.p - a.p)
  let running = 1
  tested.forEach((t, i) => {
    const rank = m - i
    running = Math.min(running, (t.p * m) / rank)
    out[t.index] = running
  })
  return out
}
