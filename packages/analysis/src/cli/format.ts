/** A table a report renders to: column names and rows of plain values. */
export interface Table {
  title?: string
  columns: string[]
  rows: (string | number | null)[][]
}

export type OutputFormat = 'table' | 'csv' | 'json'

const cell = (v: string | number | null): string => (v === null ? '' : typeof v === 'number' ? formatNumber(v) : v)

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n)
  const a = Math.abs(n)
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return n.toExponential(3)
  return String(Number(n.toFixed(4)))
}

/** Aligned plain-text columns, numbers right-aligned. */
export function renderTable(t: Table): string {
  const text = t.rows.map((r) => r.map(cell))
  const widths = t.columns.map((c, i) => Math.max(c.length, ...text.map((r) => (r[i] ?? '').length)))
  const numeric = t.columns.map((_, i) => t.rows.length > 0 && t.rows.every((r) => r[i] === null || typeof r[i] === 'number'))
  const line = (r: string[]) => r.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd()
  const out = [line(t.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)]
  return (t.title ? `${t.title}\n` : '') + out.join('\n')
}

const FORMULA = /^[=+\-@\t\r]/
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/**
 * RFC 4180 CSV; full precision for numbers. Text that a spreadsheet would run as a formula gets a
 * leading apostrophe unless it is a plain number (reports carry text captured from other pages).
 */
export function renderCsv(t: Table): string {
  const esc = (v: string | number | null): string => {
    const raw = v === null ? '' : String(v)
    const s = typeof v === 'string' && FORMULA.test(raw) && !PLAIN_NUMBER.test(raw) ? `'${raw}` : raw
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [t.columns, ...t.rows].map((r) => r.map(esc).join(',')).join('\n')
}

/** A rate with its counts and interval, e.g. `37.5% (3/8) [13.7–69.4]`. */
export function rateCell(k: number, n: number, rate: number | null, low?: number | null, high?: number | null): string {
  if (rate === null) return `– (0/${n})`
  const pct = (x: number) => `${(x * 100).toFixed(1)}`
  const ci = low !== undefined && low !== null && high !== undefined && high !== null ? ` [${pct(low)}–${pct(high)}]` : ''
  return `${pct(rate)}% (${k}/${n})${ci}`
}

export function render(format: OutputFormat, report: unknown, tables: Table[], notes: string[] = []): string {
  if (format === 'json') return JSON.stringify(report, null, 2)
  if (format === 'csv') return tables.map(renderCsv).join('\n\n')
  return [...notes, ...tables.map(renderTable)].join('\n\n')
}
