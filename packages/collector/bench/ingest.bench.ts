/**
 * Ingest benchmark: events/s through `POST /v1/batch` (50-event batches, plain and gzip) into the
 * embedded engine, against inserting the same rows directly with @clickhouse/client, in one run.
 * Then latency at a fixed load of half the direct insert rate. Prints a table and writes
 * bench-results/collector-ingest.json at the repository root.
 *
 *   pnpm --filter @tenure/collector bench      (tsx bench/ingest.bench.ts)
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { createCollector } from '../src/index.js'
import { buildEventRow } from '../src/ingest/event-row.js'
import { parseAgent } from '../src/ingest/ua.js'
import { EVENT_COLUMNS, eventRowJson } from '../src/ingest/rows.js'
import type { EventInput } from '../src/schema/batch.js'
import { settle } from './settle.js'

const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36'
const BATCH = 50
const DIRECT_EVENTS = 50_000
const MAX_BATCHES = 2_000 // 100,000 events per max-rate run
const CONCURRENCY = 32
const FIXED_SECONDS = 10

const loadBefore = loadavg()
const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)))
const dir = mkdtempSync(join(tmpdir(), 'tenure-bench-'))
const collector = await createCollector({
  dataDir: dir,
  env: {},
  config: { rateLimit: { eventsPerSecond: 1e9, burst: 1e9 } },
})
const { url } = await collector.listen(0)
const writeKey = collector.bootstrap!.writeKey
const { client } = collector.deps.store

async function storedEvents(project: string): Promise<number> {
  const rs = await client.query({ query: 'SELECT count() AS n FROM events FINAL WHERE project_id = {p:String}', query_params: { p: project }, format: 'JSONEachRow' })
  return Number((await rs.json<{ n: string }>())[0]!.n)
}

// ── Direct insert: the same rows, built once, inserted in the collector's insert size ────────
function sampleEvent(i: number): EventInput {
  return {
    uuid: randomUUID(), event: i % 5 === 0 ? '$pageview' : '$click', timestamp: Date.now(), anonymous_id: `anon-${i % 5000}`,
    user_id: `user-${i % 3000}`, account_id: `acct-${i % 100}`, session_id: `s-${i % 700}`, url: 'https://app.example.com/reports/42?tab=summary',
    title: 'Reports',
    elements: [
      { tag: 'button', id: 'export', classes: ['btn', 'primary'], attrs: { 'data-feature': 'export' }, text: 'Export CSV', nth: 1 },
      { tag: 'div', classes: ['toolbar'], nth: 0 },
      { tag: 'main', nth: 0 },
    ],
    properties: { plan: 'pro', i },
  }
}
/**
 * Rows built beforehand (not timed), then inserted in the collector's insert size: rows/s of the
 * insert alone. `objects` is the client's ordinary JSONEachRow insert; `compact` is JSONCompactEachRow
 * (arrays) through the client; `bytes` is what the collector itself does: rows already encoded as
 * JSONCompactEachRow bytes, handed to the engine by `Store.insertBytes` — the engine's own cost,
 * reported for reference (serialising happens before the clock starts).
 */
async function direct(n: number, format: 'objects' | 'compact' | 'bytes' = 'objects'): Promise<{ seconds: number; rate: number; cpuUsPerEvent: number }> {
  const now = Date.now()
  const agent = parseAgent(UA)
  const rows = Array.from({ length: n }, (_, i) =>
    buildEventRow(sampleEvent(i), now, { projectId: 'bench-direct', receivedAt: now, skewMs: 0, lib: 'bench', agent, ip: '' }),
  )
  const encoded = format === 'bytes' ? chunks(rows).map((c) => Buffer.from(c.map(eventRowJson).join('\n') + '\n')) : []
  await settle(client)
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  if (format === 'bytes') for (const bytes of encoded) await collector.deps.store.insertBytes({ table: 'events', columns: EVENT_COLUMNS, format: 'JSONCompactEachRow', bytes })
  else for (const chunk of chunks(rows)) {
    if (format === 'objects') await client.insert({ table: 'events', values: chunk, format: 'JSONEachRow' })
    else await client.insert({ table: 'events', columns: [...EVENT_COLUMNS], values: chunk.map((r) => EVENT_COLUMNS.map((c) => r[c])), format: 'JSONCompactEachRow' })
  }
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  directTotal += n
  return { seconds, rate: n / seconds, cpuUsPerEvent: (cpu.user + cpu.system) / n }
}
const insertRows = collector.deps.config.batch.maxRows
let directTotal = 0

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += insertRows) out.push(rows.slice(i, i + insertRows))
  return out
}

// ── Load through HTTP ───────────────────────────────────────────────────────────────────────
interface Job { mode: 'closed' | 'open'; batches: number; size: number; gzip: boolean; concurrency: number; ratePerSec?: number }
interface Outcome { results: { ms: number; status: number; error?: string }[]; elapsedMs: number; storedMs: number; cpuUs: number }
/** Queries that keep the engine busy as a dashboard page does: several at once, each a fraction of a second. */
const REPORT_LOAD = 'SELECT sum(cityHash64(number)) AS s FROM numbers(40000000)'
const REPORTS_AT_ONCE = 5

/** `withReports`: reports run in the collector's engine, several at once, while the load lasts. */
async function run(job: Job, withReports = false): Promise<Outcome> {
  await settle(client)
  const worker = new Worker(new URL('./load.worker.mjs', import.meta.url), { workerData: { url, writeKey, ua: UA } })
  try {
    await new Promise<void>((res) => {
      worker.once('message', () => res())
      worker.postMessage(job)
    })
    const start = performance.now()
    const cpu0 = process.cpuUsage()
    const done = new Promise<{ results: Outcome['results']; elapsedMs: number }>((res) => worker.once('message', res))
    worker.postMessage('go')
    let loading = withReports
    const reports = (async () => {
      const report = async () => (await client.query({ query: REPORT_LOAD, format: 'JSONEachRow' })).json()
      while (loading) await Promise.all(Array.from({ length: REPORTS_AT_ONCE }, report))
    })()
    const out = await done
    loading = false
    await reports
    // Throughput counts until the events are in the store, not only acknowledged.
    await collector.deps.ingest.flush()
    const cpu = process.cpuUsage(cpu0)
    return { ...out, storedMs: performance.now() - start, cpuUs: cpu.user + cpu.system }
  } finally {
    await worker.terminate()
  }
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

interface Row {
  scenario: string
  gzip: boolean
  requests: number
  events: number
  non200: number
  /** Answers other than 200 by status, or the connection error's code. */
  other_statuses: Record<string, number>
  events_per_s_acked: number
  events_per_s_stored: number
  ratio_to_direct: number
  /** CPU time of the whole process (collector, engine and the load generator's thread) per stored event. */
  cpu_us_per_event: number
  /** Direct insert CPU per event ÷ collector CPU per event: the throughput ratio a machine with idle cores would show. */
  cpu_ratio_to_direct: number
  p50_ms: number
  p99_ms: number
  max_ms: number
  offered_events_per_s?: number
  direct_events_per_s: number
}

function summarise(scenario: string, job: Job, o: Outcome, directRate: number, directCpu: number): Row {
  const ok = o.results.filter((r) => r.status === 200)
  const lat = o.results.map((r) => r.ms).sort((a, b) => a - b)
  const events = ok.length * job.size
  const stored = events / (o.storedMs / 1000)
  return {
    scenario,
    gzip: job.gzip,
    requests: o.results.length,
    events,
    non200: o.results.length - ok.length,
    other_statuses: o.results.filter((r) => r.status !== 200).reduce<Record<string, number>>((m, r) => ((m[r.error ?? r.status] = (m[r.error ?? r.status] ?? 0) + 1), m), {}),
    events_per_s_acked: Math.round(events / (o.elapsedMs / 1000)),
    events_per_s_stored: Math.round(stored),
    ratio_to_direct: Number((stored / directRate).toFixed(3)),
    cpu_us_per_event: Math.round(o.cpuUs / events),
    cpu_ratio_to_direct: Number((directCpu / (o.cpuUs / events)).toFixed(3)),
    p50_ms: Number(pct(lat, 50).toFixed(2)),
    p99_ms: Number(pct(lat, 99).toFixed(2)),
    max_ms: Number(lat.at(-1)!.toFixed(2)),
    ...(job.ratePerSec ? { offered_events_per_s: Math.round(job.ratePerSec * job.size) } : {}),
    direct_events_per_s: Math.round(directRate),
  }
}

const rows: Row[] = []
const directRuns: number[] = []
const directCpus: number[] = []
// Warm-up: JIT, first parts of the table, sockets.
await direct(10_000)
await run({ mode: 'closed', batches: 200, size: BATCH, gzip: false, concurrency: 8 })
// The machine may be shared: each collector run is compared with a direct insert measured right before it.
for (const gzip of [false, true]) {
  const d = await direct(DIRECT_EVENTS)
  directRuns.push(d.rate)
  directCpus.push(d.cpuUsPerEvent)
  const job: Job = { mode: 'closed', batches: MAX_BATCHES, size: BATCH, gzip, concurrency: CONCURRENCY }
  rows.push(summarise('max rate', job, await run(job), d.rate, d.cpuUsPerEvent))
}
const d3 = await direct(DIRECT_EVENTS)
directRuns.push(d3.rate)
directCpus.push(d3.cpuUsPerEvent)
const directCpu = directCpus.reduce((a, b) => a + b, 0) / directCpus.length
const compactRate = (await direct(DIRECT_EVENTS, 'compact')).rate
const bytesRate = (await direct(DIRECT_EVENTS, 'bytes')).rate
const directRate = directRuns.reduce((a, b) => a + b, 0) / directRuns.length
const halfRate = directRate / 2
/** A fixed offered load of `eventsPerSec` for FIXED_SECONDS, in batches of BATCH. */
function openJob(eventsPerSec: number, gzip: boolean): Job {
  const ratePerSec = eventsPerSec / BATCH
  return { mode: 'open', batches: Math.round(ratePerSec * FIXED_SECONDS), size: BATCH, gzip, concurrency: 256, ratePerSec }
}
/** Half of what the collector itself sustained at the maximum (the other reading of "half that load"). */
const halfCollectorMax = (gzip: boolean) => openJob(rows.find((r) => r.scenario === 'max rate' && r.gzip === gzip)!.events_per_s_stored / 2, gzip)
for (const gzip of [false, true]) {
  const job = openJob(halfRate, gzip)
  rows.push(summarise('half direct rate', job, await run(job), directRate, directCpu))
}
for (const gzip of [false, true]) {
  const job = halfCollectorMax(gzip)
  rows.push(summarise('half collector max', job, await run(job), directRate, directCpu))
}
// The same load while reports keep the engine busy: answering requests must not wait for them.
{
  const job = halfCollectorMax(false)
  rows.push(summarise('half collector max, reports running', job, await run(job, true), directRate, directCpu))
}

const sent = rows.reduce((s, r) => s + r.events, 0) + 200 * BATCH
const stored = await storedEvents(collector.deps.projects.list()[0]!.id)
const directStored = await storedEvents('bench-direct')
if (directStored !== directTotal) throw new Error(`direct insert: ${directStored} of ${directTotal} rows stored`)
const metrics = collector.deps.metrics.snapshot().counters
await collector.close()
rmSync(dir, { recursive: true, force: true })

const result = {
  benchmark: 'collector-ingest',
  date: new Date().toISOString(),
  // Other work on the machine competes for the same cores; the 1-minute load average says how much.
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, loadavg_before: loadBefore.map((x) => Number(x.toFixed(2))), loadavg_after: loadavg().map((x) => Number(x.toFixed(2))) },
  batch_events: BATCH,
  insert_rows: insertRows,
  direct: {
    events_per_run: DIRECT_EVENTS,
    runs_events_per_s: directRuns.map(Math.round),
    mean_events_per_s: Math.round(directRate),
    cpu_us_per_event: Math.round(directCpu),
    compact_events_per_s: Math.round(compactRate),
    /** Pre-encoded bytes straight into the engine: the engine's own ceiling, not a client insert. */
    bytes_events_per_s: Math.round(bytesRate),
  },
  runs: rows.map((r) => ({ ...r, ratio_to_direct_compact: Number((r.events_per_s_stored / compactRate).toFixed(3)) })),
  check: { acknowledged: sent, stored, accepted_counter: metrics.events_accepted },
  targets: {
    ratio_at_least: 0.5,
    p99_ms_below_at_half_load: 50,
    ratio_met: rows.filter((r) => r.scenario === 'max rate').every((r) => r.ratio_to_direct >= 0.5),
    p99_met: rows.filter((r) => r.scenario === 'half direct rate').every((r) => r.p99_ms < 50 && r.non200 === 0),
    p99_met_at_half_collector_max: rows.filter((r) => r.scenario === 'half collector max').every((r) => r.p99_ms < 50 && r.non200 === 0),
    p99_met_with_reports_running: rows.filter((r) => r.scenario === 'half collector max, reports running').every((r) => r.p99_ms < 50 && r.non200 === 0),
  },
}

console.log(`\nDirect insert (@clickhouse/client, ${insertRows}-row inserts, JSONEachRow): ${directRuns.map((r) => Math.round(r).toLocaleString('en')).join(', ')} events/s (mean ${Math.round(directRate).toLocaleString('en')})`)
console.log(`Direct insert CPU: ${Math.round(directCpu)} µs per event`)
console.log(`Direct insert, JSONCompactEachRow through the client: ${Math.round(compactRate).toLocaleString('en')} events/s`)
console.log(`Engine alone, rows encoded beforehand (Store.insertBytes, as the collector inserts): ${Math.round(bytesRate).toLocaleString('en')} events/s\n`)
console.table(rows.map((r) => ({
  scenario: r.scenario, gzip: r.gzip, events: r.events, non200: r.non200, 'acked ev/s': r.events_per_s_acked, 'stored ev/s': r.events_per_s_stored,
  'direct ev/s': r.direct_events_per_s, 'vs direct': r.ratio_to_direct, 'cpu µs/ev': r.cpu_us_per_event, 'cpu vs direct': r.cpu_ratio_to_direct, 'p50 ms': r.p50_ms, 'p99 ms': r.p99_ms, 'max ms': r.max_ms, 'offered ev/s': r.offered_events_per_s ?? '',
})))
console.log(`load average before ${loadBefore[0]!.toFixed(2)}, after ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`)
console.log(`stored ${stored} of ${sent} acknowledged events; targets: ratio ≥ 0.5 ${result.targets.ratio_met ? 'met' : 'NOT met'}, p99 < 50 ms at half the direct rate ${result.targets.p99_met ? 'met' : 'NOT met'}, at half the collector's max ${result.targets.p99_met_at_half_collector_max ? 'met' : 'NOT met'}, and with reports running ${result.targets.p99_met_with_reports_running ? 'met' : 'NOT met'}`)
const outDir = join(repoRoot, 'bench-results')
mkdirSync(outDir, { recursive: true })
writeFileSync(join(outDir, 'collector-ingest.json'), JSON.stringify(result, null, 2) + '\n')
console.log(`wrote ${join(outDir, 'collector-ingest.json')}`)
if (stored !== sent) process.exitCode = 1
