import { isTimeZone } from '@tenure/analysis'
import { z } from 'zod'

/** A report parameter the page cannot use; shown beside the form, never a crash. */
export class ParamError extends Error {
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super(message)
    this.name = 'ParamError'
  }
}

const DAY_MS = 86_400_000

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar date')

export const timeZone = z.string().refine(isTimeZone, 'is not an IANA time zone such as UTC or Europe/Berlin')
export const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

/** Today's calendar date in a time zone. */
export function todayIn(tz: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
}

/** Parses the query with a page's schema; the first problem becomes a ParamError naming its field. */
export function parseParams<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const parsed = schema.safeParse(query)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = issue.path.length ? String(issue.path[0]) : null
  throw new ParamError(field ? `${field} ${issue.message}` : issue.message, field)
}

/** A date range that must run forwards and stay within `maxDays`. */
export function checkRange(from: string, to: string, maxDays = 3660): void {
  if (from > to) throw new ParamError('from must not be after to', 'from')
  if (daysBetween(from, to) > maxDays) throw new ParamError(`the range is limited to ${maxDays} days`, 'from')
}

/** `path?k=v…` with empty values left out, keys in the given order (stable, shareable URLs). */
export function urlWith(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}
