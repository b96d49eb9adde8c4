import type { Child } from 'hono/jsx'
import { toCsv, type Cell } from './csv.js'

/**
 * A table as data: the page renders it and `?csv=<id>` downloads it, from the same rows, so the
 * file always holds what the page shows (in full precision).
 */
export interface Column<R> {
  /** CSV header. */
  key: string
  /** Column heading on the page. */
  label: string
  /** The raw value written to CSV. */
  value: (row: R) => Cell
  /** What the page shows; the raw value as text when omitted. */
  show?: (row: R) => Child
  numeric?: boolean
  /** 0–1: colours the cell as a heat map (null = no colour). */
  heat?: (row: R) => number | null
  /** In the CSV only (e.g. an interval's upper end, which the page shows together with the lower). */
  csvOnly?: boolean
  /** On the page only (e.g. buttons). */
  pageOnly?: boolean
}

export interface TableSpec<R> {
  id: string
  title: string
  columns: Column<R>[]
  rows: R[]
  /** Shown instead of an empty table. */
  empty: string
  note?: Child
  /** Rows that stand out (e.g. flagged features). */
  highlight?: (row: R) => boolean
}

// Pages hand tables of different row types to one renderer; the row type stays inside each spec.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTable = TableSpec<any>

export function table<R>(spec: TableSpec<R>): AnyTable {
  return spec
}

export function tableCsv(t: AnyTable): string {
  const cols = t.columns.filter((c) => !c.pageOnly)
  return toCsv(
    cols.map((c) => c.key),
    t.rows.map((r) => cols.map((c) => c.value(r))),
  )
}
