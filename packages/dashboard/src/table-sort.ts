import type { Cell } from './csv.js'
import type { AnyTable } from './table.js'

/** `?sort=<table>:<column>:<asc|desc>`: one table of a page sorted by one of its columns. */
export interface TableSort {
  table: string
  column: string
  dir: 'asc' | 'desc'
}

export function parseSort(text: string | undefined): TableSort | null {
  const m = /^([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_.-]{1,64}):(asc|desc)$/.exec(text ?? '')
  return m ? { table: m[1]!, column: m[2]!, dir: m[3] as 'asc' | 'desc' } : null
}

export function sortParam(s: TableSort): string {
  return `${s.table}:${s.column}:${s.dir}`
}

function compare(a: Cell, b: Cell): number {
  const empty = (v: Cell) => v === null || v === undefined || v === ''
  if (empty(a) || empty(b)) return empty(a) === empty(b) ? 0 : empty(a) ? 1 : -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b), 'en', { numeric: true })
}

/**
 * The table with its rows sorted by the column's raw (CSV) value; empty values last either way,
 * ties keep their order. Other tables, and unknown columns, are returned as they are.
 */
export function sortTable(t: AnyTable, s: TableSort | null): AnyTable {
  if (!s || s.table !== t.id) return t
  const col = t.columns.find((c) => c.key === s.column && !c.pageOnly)
  if (!col) return t
  const sign = s.dir === 'asc' ? 1 : -1
  const keyed = t.rows.map((r, i) => ({ r, i, v: col.value(r) }))
  keyed.sort((x, y) => {
    const e = (v: Cell) => v === null || v === undefined || v === ''
    if (e(x.v) || e(y.v)) return compare(x.v, y.v) || x.i - y.i
    return sign * compare(x.v, y.v) || x.i - y.i
  })
  return { ...t, rows: keyed.map((k) => k.r) }
}
