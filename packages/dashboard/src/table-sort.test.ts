import { describe, expect, it } from 'vitest'
import { table } from './table.js'
import { parseSort, sortTable } from './table-sort.js'

const t = table<{ n: number | null; s: string }>({
  id: 'x', title: 'X', empty: '', rows: [{ n: 2, s: 'b10' }, { n: null, s: 'a' }, { n: 10, s: 'b9' }, { n: 2, s: 'c' }],
  columns: [{ key: 'n', label: 'N', value: (r) => r.n }, { key: 's', label: 'S', value: (r) => r.s }],
})

describe('table sort', () => {
  it('parses only well-formed sort parameters', () => {
    expect(parseSort('x:n:desc')).toEqual({ table: 'x', column: 'n', dir: 'desc' })
    expect(parseSort('x:n')).toBeNull()
    expect(parseSort("x:n';drop:asc")).toBeNull()
  })
  it('sorts numbers as numbers, keeps ties in order and empty values last', () => {
    expect(sortTable(t, parseSort('x:n:asc')).rows.map((r) => r.s)).toEqual(['b10', 'c', 'b9', 'a'])
    expect(sortTable(t, parseSort('x:n:desc')).rows.map((r) => r.s)).toEqual(['b9', 'b10', 'c', 'a'])
    expect(sortTable(t, parseSort('x:s:asc')).rows.map((r) => r.s)).toEqual(['a', 'b9', 'b10', 'c'])
  })
  it('leaves other tables and unknown columns alone', () => {
    expect(sortTable(t, parseSort('y:n:asc'))).toBe(t)
    expect(sortTable(t, parseSort('x:zz:asc'))).toBe(t)
  })
})
