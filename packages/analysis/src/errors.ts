import type { z } from 'zod'

/**
 * Why an analysis request was refused. `invalid` means bad input (HTTP 400), `not_found` a
 * missing feature (404), `conflict` an id already taken (409). `field` names the parameter.
 */
export class AnalysisError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict',
    message: string,
    readonly field: string | null = null,
  ) {
    super(message)
    this.name = 'AnalysisError'
  }
}

/** Parses input with a zod schema; bad input throws AnalysisError('invalid') naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const field = issue.path.join('.') || null
  throw new AnalysisError('invalid', field ? `${field}: ${issue.message}` : issue.message, field)
}
