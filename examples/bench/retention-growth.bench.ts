/**
 * How the high-retention report grows from 1M to 10M events, against a plain scan of the same
 * table: the analysis package's own synthetic product (its generator and 50 feature definitions),
 * loaded once per size into an embedded data folder kept in the OS temp folder and reused.
 *
 * One embedded data folder per process: each size runs in a child process of this script.
 * Writes bench-results/examples-retention-growth.json at the repository root.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFeature, highRetentionReport, migrate, openStore } from '@tenure/analysis'
import { BENCH_SHAPE, generateEvents } from '../../packages/analysis/bench/generate.js'
import { benchFeatures } from '../../packages/analysis/bench/features.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SIZES = (process.env.BENCH_GROWTH_SIZES ?? '1000000,10000000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)

interface SizeResult {
  events: number
  users: number
  loadSeconds: number | null
  reportMs: number[]
  scanMs: number[]
}

const sameFile = (file: string, text: string): boolean => existsSync(file) && readFileSync(file, 'utf8') === text
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Child: loads (or reuses) one size and times the report and the scan. */
async function measure(events: number): Promise<SizeResult> {
  // Users grow with events, so a user's history looks the same at both sizes.
  const shape = { ...BENCH_SHAPE, events, users: Math.round((BENCH_SHAPE.users * events) / BENCH_SHAPE.events), accounts: Math.max(10, Math.round((BENCH_SHAPE.accounts * events) / BENCH_SHAPE.events)) }
  // The analysis benchmark's own 10M folder is the same data when its shape matches: use it
  // rather than load ten million events a second time.
  const theirs = join(tmpdir(), `tenure-bench-analysis-${events}`)
  const theirMarker = JSON.stringify({ ...BENCH_SHAPE, events, generator: 2 })
  const shared = sameFile(join(theirs, 'bench-shape.json'), theirMarker)
  const dir = shared ? theirs : join(tmpdir(), `tenure-bench-growth-${events}`)
  const marker = shared ? theirMarker : JSON.stringify(shape)
  const markerFile = join(dir, 'bench-shape.json')
  const reuse = sameFile(markerFile, marker)
  if (!reuse) rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const store = openStore({ kind: 'embedded', path: dir })
  try {
    await migrate(store)
    let loadSeconds: number | null = null
    if (!reuse) {
      const t0 = performance.now()
      await generateEvents(store.client, shape)
      for (const f of benchFeatures(shape.features)) await createFeature(store.client, shape.project, f)
      loadSeconds = +((performance.now() - t0) / 1000).toFixed(1)
      writeFileSync(markerFile, marker)
    }
    const params = { project: shape.project, from: '2024-01-01', to: '2024-03-01', n: 14, asOf: '2024-03-31', timezone: 'UTC' }
    const scan = async () => {
      const t = performance.now()
      const rs = await store.client.query({
        query: 'SELECT user_key, count() AS c FROM events WHERE project_id = {p:String} GROUP BY user_key',
        query_params: { p: shape.project },
        format: 'JSONEachRow',
      })
      await rs.json()
      return performance.now() - t
    }
    // Warm-up: the engine's caches, once.
    await scan()
    await highRetentionReport(store.client, params)
    const reportMs: number[] = []
    const scanMs: number[] = []
    for (let i = 0; i < RUNS; i++) {
      scanMs.push(await scan())
      const t = performance.now()
      await highRetentionReport(store.client, params)
      reportMs.push(performance.now() - t)
    }
    return { events, users: shape.users, loadSeconds, reportMs, scanMs }
  } finally {
    await store.close()
  }
}

if (process.env.BENCH_GROWTH_CHILD) {
  const out = await measure(Number(process.env.BENCH_GROWTH_CHILD))
  writeFileSync(process.env.BENCH_GROWTH_OUT!, JSON.stringify(out))
} else {
  const results: SizeResult[] = []
  for (const events of SIZES) {
    console.log(`high-retention report at ${events.toLocaleString('en')} events …`)
    const out = join(tmpdir(), `tenure-growth-${process.pid}-${events}.json`)
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_GROWTH_CHILD: String(events), BENCH_GROWTH_OUT: out },
      stdio: 'inherit',
    })
    if (child.status !== 0) throw new Error(`the ${events}-event run failed`)
    results.push(JSON.parse(readFileSync(out, 'utf8')) as SizeResult)
    rmSync(out, { force: true })
  }
  const rows = results.map((r) => ({
    events: r.events,
    users: r.users,
    load_seconds: r.loadSeconds,
    report_ms: Math.round(median(r.reportMs)),
    scan_ms: Math.round(median(r.scanMs)),
    ratio_to_scan: +(median(r.reportMs) / median(r.scanMs)).toFixed(2),
  }))
  const first = rows[0]!
  const last = rows[rows.length - 1]!
  const growth = {
    events: +(last.events / first.events).toFixed(1),
    report: +(last.report_ms / first.report_ms).toFixed(2),
    scan: +(last.scan_ms / first.scan_ms).toFixed(2),
  }
  console.table(rows)
  console.log(`${growth.events}× the events: report ${growth.report}× slower, plain scan ${growth.scan}× slower`)
  const result = {
    benchmark: 'examples-retention-growth',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, loadavg: loadavg().map((x) => +x.toFixed(2)) },
    runs: RUNS,
    sizes: rows,
    growth,
    summary: [
      ...rows.map((r) => ({
        area: 'retention',
        measure: `high-retention report, ${(r.events / 1e6).toLocaleString('en')}M events`,
        value: r.report_ms,
        unit: 'ms median',
        note: `plain scan ${r.scan_ms} ms (${r.ratio_to_scan}×)`,
      })),
      { area: 'retention', measure: `growth ${first.events / 1e6}M → ${last.events / 1e6}M events`, value: growth.report, unit: '× report time', note: `scan ${growth.scan}×` },
    ],
  }
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true })
  writeFileSync(join(ROOT, 'bench-results', 'examples-retention-growth.json'), JSON.stringify(result, null, 2) + '\n')
}
