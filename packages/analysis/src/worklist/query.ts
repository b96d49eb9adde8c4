import { z } from 'zod'
import { WORKLIST_SORTS } from './worklist.js'

/** `a,b` of the given values (a query string has no arrays); anything else names what is allowed. */
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().max(200).transform((s, ctx) => {
    const items = s.split(',').map((x) => x.trim()).filter(Boolean)
    const bad = items.find((x) => !values.includes(x))
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${values.join(', ')}` })
      return z.NEVER
    }
    return items as T[number][]
  })

/** A worklist filter as query parameters (the JSON API and the dashboard page read the same names). */
export const WorklistFilterQuery = z.object({
  band: list(['red', 'yellow', 'green'] as const).describe('Only accounts in these health bands, comma-separated').optional(),
  trend: list(['growing', 'steady', 'declining'] as const).describe('Only accounts with these usage trends, comma-separated').optional(),
  min_arr: z.coerce.number().min(0).max(1e15).describe('Smallest ARR').optional(),
  max_arr: z.coerce.number().min(0).max(1e15).describe('Largest ARR').optional(),
  renewal_within_days: z.coerce.number().int().min(0).max(3660).describe('Only accounts renewing within this many days').optional(),
  sort: z.enum(WORKLIST_SORTS).describe('Sort column').optional(),
  dir: z.enum(['asc', 'desc']).describe('Sort direction').optional(),
})
