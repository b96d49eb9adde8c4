/** A problem with one row (or the header) of an import; `line` is 1-based in the file, `field` the column or JSON path. */
export interface RowError {
  line: number | null
  field: string | null
  message: string
}

/** At most this many row errors are listed; `errorCount` still says how many there were. */
export const MAX_LISTED_ERRORS = 100

export class ImportErrors {
  readonly list: RowError[] = []
  count = 0
  add(error: RowError): void {
    this.count += 1
    if (this.list.length < MAX_LISTED_ERRORS) this.list.push(error)
  }
}
