/** Calendar dates as `YYYY-MM-DD` strings (UTC): they sort and compare as text, and never shift with a zone. */
export type IsoDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000

/** The date when `text` is a real calendar date `YYYY-MM-DD` (or an ISO instant, cut to its UTC day). */
export function parseIsoDate(text: string): IsoDate | null {
  const trimmed = text.trim()
  const day = ISO_DATE.test(trimmed) ? trimmed : /^\d{4}-\d{2}-\d{2}T/.test(trimmed) ? instantDay(trimmed) : null
  if (!day) return null
  const [, y, m, d] = ISO_DATE.exec(day)!
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  return toIsoDate(date) === day ? day : null
}

function instantDay(text: string): IsoDate | null {
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? null : toIsoDate(new Date(ms))
}

export function toIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10)
}

export function fromEpochSeconds(seconds: number): IsoDate {
  return toIsoDate(new Date(seconds * 1000))
}

function toUtc(day: IsoDate): Date {
  return new Date(`${day}T00:00:00Z`)
}

/*
 * A report's date arithmetic runs over a few thousand distinct days but asks about the same ones
 * again and again (every renewal window of every account), and parsing and printing a Date is
 * most of its cost: each day's number and each number's text are kept once computed.
 */
const MEMO_LIMIT = 100_000
const dayNumbers = new Map<IsoDate, number>()
const dayTexts = new Map<number, IsoDate>()

/** Days since 1970-01-01 (NaN for text that is not a date). */
function dayNumber(day: IsoDate): number {
  let n = dayNumbers.get(day)
  if (n === undefined) {
    n = toUtc(day).getTime() / DAY_MS
    if (dayNumbers.size >= MEMO_LIMIT) dayNumbers.clear()
    dayNumbers.set(day, n)
  }
  return n
}

function dayText(n: number): IsoDate {
  let text = dayTexts.get(n)
  if (text === undefined) {
    text = toIsoDate(new Date(n * DAY_MS))
    if (dayTexts.size >= MEMO_LIMIT) dayTexts.clear()
    dayTexts.set(n, text)
  }
  return text
}

export function addDays(day: IsoDate, days: number): IsoDate {
  return dayText(dayNumber(day) + days)
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round(dayNumber(to) - dayNumber(from))
}

/** Adds calendar months; the day is clamped to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(day: IsoDate, months: number): IsoDate {
  const d = toUtc(day)
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1))
  const last = daysInMonth(target.getUTCFullYear(), target.getUTCMonth())
  target.setUTCDate(Math.min(d.getUTCDate(), last))
  return toIsoDate(target)
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate()
}

/** Whole months from `from` to `to`, rounded to the nearest month (at least 1): 2025-01-01 → 2025-12-31 is 12. */
export function monthsInTerm(from: IsoDate, to: IsoDate): number {
  const a = toUtc(from)
  const b = toUtc(to)
  const whole = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth())
  const dayPart = (b.getUTCDate() - a.getUTCDate()) / daysInMonth(b.getUTCFullYear(), b.getUTCMonth())
  return Math.max(1, Math.round(whole + dayPart))
}

/** `YYYY-MM` of a date. */
export function monthOf(day: IsoDate): string {
  return day.slice(0, 7)
}

/** Last calendar day of a `YYYY-MM` month. */
export function monthEnd(month: string): IsoDate {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return toIsoDate(new Date(Date.UTC(y, m, 0)))
}

/** Every month from `from` to `to` inclusive, as `YYYY-MM`. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = []
  let [y, m] = from.split('-').map(Number) as [number, number]
  const [ty, tm] = to.split('-').map(Number) as [number, number]
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
    m += 1
    if (m > 12) {
      m = 1
      y += 1
    }
  }
  return out
}

export function shiftMonth(month: string, by: number): string {
  return monthOf(addMonths(`${month}-01`, by))
}
