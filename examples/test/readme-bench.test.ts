import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BENCH_FILE, END, mergeSummary, README, readStored, renderBenchBlock, ROOT, START, withBenchBlock, type BenchSummary } from '../../scripts/readme-bench.mjs'

// The benchmarks themselves take minutes: these tests read the figures `pnpm bench` stored.
const readme = readFileSync(README, 'utf8')
const block = () => readme.slice(readme.indexOf(START) + START.length + 1, readme.indexOf(END) - 1)

describe("the README's benchmark table", () => {
  it('is exactly what scripts/readme-bench.mjs renders from docs/benchmarks.json', () => {
    const stored = readStored()
    expect(BENCH_FILE).toBe(join(ROOT, 'docs', 'benchmarks.json'))
    expect(Object.keys(stored.sources).length).toBeGreaterThanOrEqual(3)
    expect(block()).toBe(renderBenchBlock(stored))
    expect(block()).toMatch(/^\| Area \| Measure \| Result \| Note \| Run \|$/m)
  })

  it('has a row for every stored figure, with its value', () => {
    const stored = readStored()
    for (const [file, source] of Object.entries(stored.sources)) {
      expect(source.rows.length, file).toBeGreaterThan(0)
      for (const row of source.rows) {
        const value = typeof row.value === 'number' ? row.value.toLocaleString('en', { maximumFractionDigits: 2 }) : String(row.value)
        expect(block()).toContain(`| ${row.measure.replaceAll('|', '\\|')} | ${value} ${row.unit}`.trim())
      }
    }
  })

  it('fails the comparison when a figure is edited by hand', () => {
    const edited = readme.replace(/(\| Ingestion \|[^|]+\| )(\d)/, (_, head: string, digit: string) => `${head}${(Number(digit) + 1) % 10}`)
    expect(edited).not.toBe(readme)
    expect(withBenchBlock(edited, renderBenchBlock(readStored()))).not.toBe(edited)
    expect(withBenchBlock(readme, renderBenchBlock(readStored()))).toBe(readme)
  })

  it('keeps the figures of benchmarks a partial run left out, and replaces those it ran', () => {
    const machine = { cpus: 2, cpu: 'CPU', memory_gib: 8, os: 'linux 6', node: 'v20.0.0', loadavg: [1, 1, 1] }
    const first: BenchSummary = {
      date: '2026-01-01T00:00:00Z',
      machine,
      sources: [{ file: 'a.json', date: '2026-01-01T00:00:00Z', load: 1 }, { file: 'b.json', date: '2026-01-01T00:00:00Z', load: null }],
      rows: [{ area: 'x', measure: 'a', value: 1, unit: 'ms', source: 'a.json' }, { area: 'x', measure: 'b', value: 2, unit: 'ms', source: 'b.json' }],
    }
    const second: BenchSummary = { ...first, date: '2026-02-01T00:00:00Z', sources: [{ file: 'b.json', date: '2026-02-01T00:00:00Z', load: 3 }], rows: [{ area: 'x', measure: 'b', value: 5, unit: 'ms', source: 'b.json' }] }
    const merged = mergeSummary(mergeSummary(undefined, first), second)
    expect(merged.sources['a.json']!.rows).toEqual([{ area: 'x', measure: 'a', value: 1, unit: 'ms' }])
    expect(merged.sources['b.json']).toMatchObject({ date: '2026-02-01T00:00:00Z', load: 3, rows: [{ measure: 'b', value: 5 }] })
    const table = renderBenchBlock(merged)
    expect(table).toContain('| X | a | 1 ms |  | 2026-01-01, load 1 |')
    expect(table).toContain('| X | b | 5 ms |  | 2026-02-01, load 3 |')
  })

  it('--check agrees, as a process', () => {
    expect(execFileSync(process.execPath, [join(ROOT, 'scripts', 'readme-bench.mjs'), '--check'], { encoding: 'utf8' })).toContain('matches')
  })
})
