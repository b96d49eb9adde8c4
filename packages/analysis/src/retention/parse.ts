import type { z } from 'zod'
import { AnalysisError } from '../errors.js'

export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const field = issue.path.join('.') || null
  throw new AnalysisError('invalid', field ? `${field}: ${issue.message}` : issue.message, field)
}
