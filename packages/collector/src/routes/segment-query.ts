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
