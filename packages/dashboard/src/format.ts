/**
 * How numbers are shown. Fixed rules rather than the host's locale, so a page reads the same on
 * every server and tests can compare what is shown with what the API returns.
 */
export const DASH = '—'

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** 12345.678 → "12,345.68" with `digits` decimals (0 by default). */
export function fmtNum(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  const fixed = Math.abs(v).toFixed(digits)
  const [i, d] = fixed.split('.')
  const sign = v < 0 && Number(fixed) !== 0 ? '-' : ''
  return `${sign}${group(i!)}${d ? `.${d}` : ''}`
}

/** A share 0–1 as a percentage: 0.375 → "37.5%". */
export function fmtPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  return `${fmtNum(v * 100, digits)}%`
}

/** An interval of shares: "13.3–28.9%". */
export function fmtInterval(lo: number | null | undefined, hi: number | null | undefined, digits = 1): string {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return DASH
  return `${fmtNum(lo * 100, digits)}–${fmtNum(hi * 100, digits)}%`
}

/** Money with its currency code: "USD 1,234". Whole units unless `digits` is given. */
export function fmtMoney(v: number | null | undefined, currency: string | null, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  return currency ? `${currency} ${fmtNum(v, digits)}` : fmtNum(v, digits)
}

/** p- and q-values: three decimals, or "<0.001". */
export function fmtP(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  return v < 0.001 ? '<0.001' : v.toFixed(3)
}

/** A ratio such as lift: "1.84×". */
export function fmtRatio(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  return `${fmtNum(v, digits)}×`
}
