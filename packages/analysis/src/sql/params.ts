/**
 * Collects query parameters under generated names, so that compiled SQL only ever refers to
 * values as `{name:Type}` placeholders. Names come from a counter, never from user text.
 */
export class Params {
  private n = 0
  readonly values: Record<string, unknown> = {}

  constructor(private readonly prefix = 'p') {
    if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`invalid parameter prefix: ${prefix}`)
  }

  /** Registers `value` and returns its placeholder, e.g. `{p3:String}`. */
  add(value: unknown, type: ParamType): string {
    const name = `${this.prefix}${this.n++}`
    this.values[name] = value
    return `{${name}:${type}}`
  }
}

/** The ClickHouse types compiled conditions use; an allow-list, as types are spliced into SQL. */
export type ParamType = 'String' | 'Float64' | 'UInt32' | 'UInt64' | 'Array(String)' | 'Array(UInt32)' | 'Date' | 'DateTime64(3)'

/** A piece of SQL and the parameter values its placeholders name. */
export interface SqlFragment {
  sql: string
  params: Record<string, unknown>
}
