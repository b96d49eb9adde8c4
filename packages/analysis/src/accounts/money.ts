/**
 * Money without floating point. Amounts are bigints in units of 1/10 000 of a currency unit
 * (enough for every ISO currency's minor unit). MRR is an amount divided by a number of months,
 * so MRR values use a finer unit: 1/(10 000 · D) where D is a common multiple of every billing
 * period in the book. Sums and differences of MRR are then exact, which is what lets the
 * movement identity hold exactly rather than within a rounding tolerance.
 */
export const AMOUNT_SCALE = 10_000n
const AMOUNT_PATTERN = /^(\d{1,14})(?:\.(\d{1,4}))?$/

/** `"1200.5"` → 12005000n; null for anything that is not a plain non-negative decimal with ≤ 4 decimals. */
export function parseAmount(text: string): bigint | null {
  const m = AMOUNT_PATTERN.exec(text.trim())
  if (!m) return null
  const frac = (m[2] ?? '').padEnd(4, '0')
  return BigInt(m[1]!) * AMOUNT_SCALE + BigInt(frac)
}

export function formatAmount(units: bigint): string {
  const sign = units < 0n ? '-' : ''
  const abs = units < 0n ? -units : units
  const whole = abs / AMOUNT_SCALE
  const frac = (abs % AMOUNT_SCALE).toString().padStart(4, '0').replace(/0+$/, '')
  return frac ? `${sign}${whole}.${frac}` : `${sign}${whole}`
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

/** The MRR unit of a book: every billing period divides `months`, so amount/period is a whole number of units. */
export interface MrrScale {
  readonly months: bigint
}

export function mrrScale(billingMonths: Iterable<number>): MrrScale {
  let months = 1n
  for (const m of billingMonths) {
    if (!Number.isInteger(m) || m < 1) throw new Error(`billing period must be a whole number of months ≥ 1, got ${m}`)
    const b = BigInt(m)
    months = (months * b) / gcd(months, b)
  }
  return { months }
}

/** MRR of an amount charged every `billingMonths` months, in the scale's exact units. */
export function mrrUnits(scale: MrrScale, amount: bigint, billingMonths: number): bigint {
  const b = BigInt(billingMonths)
  if (scale.months % b !== 0n) throw new Error(`billing period ${billingMonths} is not in this MRR scale`)
  return amount * (scale.months / b)
}

/** Exact units → currency as a number (for output; sums are done in units before converting). */
export function unitsToNumber(scale: MrrScale, units: bigint): number {
  const den = AMOUNT_SCALE * scale.months
  const whole = units / den
  const rest = units % den
  return Number(whole) + Number((rest * 1_000_000_000n) / den) / 1e9
}

/** A ratio of two unit sums as a number (null when the denominator is zero). */
export function ratio(num: bigint, den: bigint): number | null {
  if (den === 0n) return null
  const whole = num / den
  const rest = num % den
  return Number(whole) + Number((rest * 1_000_000_000_000n) / den) / 1e12
}
