import { AnalysisError, ReportParamError } from '@tenure/analysis'
import { ParamError } from './params.js'

export interface ShownError {
  /** 400 for the user's input, 404 for something that does not exist, 500 for a fault of ours. */
  status: 400 | 404 | 500
  message: string
  field: string | null
}

/** Errors as the page shows them. Input problems keep their message; faults are logged and still shown, briefly. */
export function shownError(err: unknown): ShownError {
  if (err instanceof ParamError || err instanceof ReportParamError) return { status: 400, message: err.message, field: err.field ?? null }
  if (err instanceof AnalysisError) return { status: err.code === 'not_found' ? 404 : 400, message: err.message, field: err.field }
  console.error('[dashboard] report failed', err)
  const message = err instanceof Error ? err.message : String(err)
  return { status: 500, message: `internal error: ${message.slice(0, 300)}`, field: null }
}
