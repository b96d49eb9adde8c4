import { z } from 'zod'
import { monthsInTerm, parseIsoDate } from '../dates.js'
import { parseAmount } from '../money.js'

/** Field parsers shared by the CSV and Stripe imports; each turns text into a stored value or a clear message. */

/** Dates the store's Date type can hold. */
const MIN_DATE = '1970-01-01'
const MAX_DATE = '2148-12-31'

export const idField = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'is longer than 200 characters')

export const textField = z.string().trim().max(500, 'is longer than 500 characters')

export const dateField = z.string().transform((text, ctx) => {
  const day = parseIsoDate(text)
  if (!day || day < MIN_DATE || day > MAX_DATE) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a date YYYY-MM-DD between ${MIN_DATE} and ${MAX_DATE}` })
    return z.NEVER
  }
  return day
})

export const optionalDateField = z.string().transform((text, ctx): string | null => {
  if (text.trim() === '') return null
  const r = dateField.safeParse(text)
  if (!r.success) {
    ctx.addIssue({ code: 'custom', message: r.error.issues[0]!.message })
    return z.NEVER
  }
  return r.data
})

export const amountField = z.string().transform((text, ctx) => {
  const cleaned = text.trim()
  if (parseAmount(cleaned) === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not an amount (digits, optional "." and up to 4 decimals, no sign or separators)` })
    return z.NEVER
  }
  return cleaned
})

export const optionalAmountField = z.string().transform((text, ctx): string | null => {
  if (text.trim() === '') return null
  const r = amountField.safeParse(text)
  if (!r.success) {
    ctx.addIssue({ code: 'custom', message: r.error.issues[0]!.message })
    return z.NEVER
  }
  return r.data
})

export const currencyField = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s) => /^[A-Z]{3}$/.test(s), 'is not a three-letter ISO currency code')

export const seatsField = z.string().transform((text, ctx) => {
  const t = text.trim()
  if (t === '') return null
  if (!/^\d{1,7}$/.test(t)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a whole number of seats` })
    return z.NEVER
  }
  return Number(t)
})

const NAMED_PERIODS: Record<string, number> = {
  monthly: 1, month: 1, quarterly: 3, quarter: 3, semiannual: 6, 'semi-annual': 6, 'half-yearly': 6,
  annual: 12, annually: 12, yearly: 12, year: 12, biennial: 24, triennial: 36,
}

/**
 * Months per billing period: a name (monthly, quarterly, semiannual, annual, biennial, triennial),
 * a number of months ("18", "18m", "18 months"), or "term" = the whole term is paid at once.
 */
export function billingMonths(text: string, termStart: string | null, termEnd: string | null): number | string {
  const t = text.trim().toLowerCase()
  const named = NAMED_PERIODS[t]
  if (named) return named
  if (t === 'term') {
    if (!termStart || !termEnd) return 'billing period "term" needs term_start and term_end'
    return monthsInTerm(termStart, termEnd)
  }
  const m = /^(\d{1,3})\s*(m|mo|mos|months?)?$/.exec(t)
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 120) return Number(m[1])
  return `"${text}" is not a billing period (monthly, quarterly, semiannual, annual, biennial, triennial, term, or 1–120 months)`
}
