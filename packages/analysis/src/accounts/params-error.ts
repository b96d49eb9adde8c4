import { AnalysisError } from '../errors.js'

/** A report parameter that cannot be used (an AnalysisError of code `invalid`); `field` names it for a 400. */
export class ReportParamError extends AnalysisError {
  declare readonly field: string
  constructor(message: string, field: string) {
    super('invalid', message, field)
    this.name = 'ReportParamError'
  }
}

/** A date parameter as `YYYY-MM-DD`, refused with the field's name otherwise; `fallback` when absent. */
export function checkDate(value: string | undefined, field: string, fallback: string): string {
  const v = value ?? fallback
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw new ReportParamError(`${field} must be a date YYYY-MM-DD`, field)
  }
  return v
}
