import { z } from 'zod'

/** The query parameters that restrict a report to a segment: a saved one by id, or a definition inline. */
export const segmentQueryShape = {
  segment: z.string().max(64).describe('Restrict the report to a saved segment (its id; see /v1/segments)').optional(),
  segment_def: z
    .string()
    .max(20_000)
    .describe('Restrict the report to an inline segment definition: JSON `{match: all|any, conditions: [...]}` as in /v1/segments')
    .optional(),
}

/** The query parameters of a breakdown: one property, split into its most common values. */
export const breakdownQueryShape = {
  breakdown: z.string().max(140).describe('Break the report down by this property (see /v1/segments/properties): everyone, then one group per value').optional(),
  max_groups: z.coerce.number().int().min(2).max(20).describe('With breakdown: at most this many groups, the most common values; default 10').optional(),
}

/** Retention breakdowns also say how many people a group needs for its curve to count. */
export const retentionBreakdownQueryShape = {
  ...breakdownQueryShape,
  min_n: z.coerce.number().int().min(1).max(1_000_000).describe('With breakdown: a group with fewer people is marked not enough data; default 30').optional(),
}
