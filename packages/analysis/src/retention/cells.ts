import { wilson } from '../stats/wilson.js'

/** One day-N figure: counts beside the rate, always. */
export interface RetentionCell {
  n: number
  /** Starts whose day N was complete by the as-of day. */
  eligible: number
  /** Starts left out because day N had not passed (censored, not lost). */
  censored: number
  retained: number
  /** retained / eligible with a 95% Wilson interval; null when nobody is eligible. */
  rate: number | null
  low: number | null
  high: number | null
}

export function retentionCells(days: readonly number[], size: number, eligible: readonly number[], retained: readonly number[]): RetentionCell[] {
  return days.map((n, i) => {
    const e = Number(eligible[i] ?? 0)
    const r = Number(retained[i] ?? 0)
    const w = wilson(r, e)
    return { n, eligible: e, censored: size - e, retained: r, rate: w.rate, low: w.low, high: w.high }
  })
}
