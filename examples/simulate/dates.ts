export const DAY_MS = 86_400_000

export function parseDay(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`)
  if (Number.isNaN(ms)) throw new Error(`not a date: ${day}`)
  return ms
}

export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Calendar months later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + months
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last))
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(ms: number): number {
  return new Date(ms).getUTCDay()
}
