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
