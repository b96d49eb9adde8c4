/** A report parameter that cannot be used; `field` names it so an HTTP layer can answer 400 with it. */
export class ReportParamError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message)
    this.name = 'ReportParamError'
  }
}
