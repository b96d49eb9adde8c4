import { describe, expect, it } from 'vitest'
import { renderHtml } from './render.js'
import { DataTable } from './components/data-table.js'
import { table, tableCsv } from './table.js'

interface Row {
  name: string
  rate: number
  low: number
  high: number
}

const t = table<Row>({
  id: 'demo', title: 'Demo', empty: 'nothing', rows: [{ name: 'a, "b"', rate: 0.375, low: 0.1, high: 0.7 }],
  columns: [
    { key: 'name', label: 'Name', value: (r) => r.name },
    { key: 'rate', label: 'Rate', numeric: true, value: (r) => r.rate, show: (r) => `${r.rate * 100}%`, heat: (r) => r.rate },
    { key: 'rate_low', label: 'low', csvOnly: true, value: (r) => r.low },
    { key: 'rate_high', label: 'high', csvOnly: true, value: (r) => r.high },
    { key: 'edit', label: 'Edit', pageOnly: true, value: () => null, show: () => 'edit' },
  ],
})

describe('tables', () => {
  it('write every value column to CSV, raw, and leave page-only columns out', () => {
    expect(tableCsv(t)).toBe('name,rate,rate_low,rate_high\r\n"a, ""b""",0.375,0.1,0.7\r\n')
  })

  it('show formatted cells, heat colours and a CSV link, without CSV-only columns', async () => {
    const html = await renderHtml(<DataTable t={t} csvHref="/app/x?csv=demo" />)
    expect(html).toContain('<a class="csv" href="/app/x?csv=demo" download="">')
    expect(html).toContain('<th scope="col">Name</th><th scope="col" class="num">Rate</th><th scope="col">Edit</th>')
    expect(html).toMatch(/<td class="num" data-col="rate" data-v="0.375" style="background:hsl\(212 72% \d+%\);color:#[0-9a-f]+">37.5%<\/td>/)
    expect(html).not.toContain('rate_low')
  })

  it('link each heading to the page sorted by it, marking the sorted column', async () => {
    const href = (table: string, col: string, dir: string) => `/app/x?sort=${table}%3A${col}%3A${dir}`
    const html = await renderHtml(<DataTable t={t} csvHref="/x" sort={{ table: 'demo', column: 'rate', dir: 'desc' }} sortHref={href} />)
    expect(html).toContain('<th scope="col"><a class="sort" href="/app/x?sort=demo%3Aname%3Aasc" data-sort-col="name" data-sort-next="asc">Name</a></th>')
    expect(html).toContain('<th scope="col" class="num" aria-sort="descending"><a class="sort" href="/app/x?sort=demo%3Arate%3Aasc" data-sort-col="rate" data-sort-next="asc">Rate</a></th>')
    // Page-only columns have nothing to sort by.
    expect(html).toContain('<th scope="col">Edit</th>')
  })

  it('show the empty text instead of an empty table', async () => {
    const html = await renderHtml(<DataTable t={{ ...t, rows: [] }} csvHref="/x" />)
    expect(html).toContain('<p class="empty">nothing</p>')
    expect(html).not.toContain('<table')
  })
})
