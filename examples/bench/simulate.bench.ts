/**
 * How fast the simulator makes history, and how fast its bulk sink loads it into the embedded
 * engine (rows built by the collector's own row builder). Writes bench-results/examples-simulate.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrate, openStore } from '@tenure/analysis/store'
import { Simulation } from '../simulate/simulate.js'
import { usersForEvents } from '../simulate/scale.js'
import { BulkSink } from '../simulate/sinks/bulk.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const GENERATE_EVENTS = Number(process.env.BENCH_SIM_EVENTS ?? 1_000_000)
const LOAD_EVENTS = Number(process.env.BENCH_LOAD_EVENTS ?? 300_000)
const world = { seed: 1, days: 180, endDate: '2025-06-01' }

function generate(events: number): { events: number; seconds: number } {
  const sim = new Simulation({ ...world, users: usersForEvents(world, events) })
  const t0 = performance.now()
  let n = 0
  for (const s of sim.sessions()) n += s.events.length
  return { events: n, seconds: (performance.now() - t0) / 1000 }
}

const gen = generate(GENERATE_EVENTS)
console.log(`generated ${gen.events.toLocaleString('en')} events in ${gen.seconds.toFixed(1)} s (${Math.round(gen.events / gen.seconds).toLocaleString('en')} events/s)`)

const dir = mkdtempSync(join(tmpdir(), 'tenure-bench-sim-'))
const store = openStore({ kind: 'embedded', path: dir })
await migrate(store)
const sim = new Simulation({ ...world, users: usersForEvents(world, LOAD_EVENTS) })
const sink = new BulkSink({ store, projectId: 'bench', rowsPerInsert: 100_000 })
const t0 = performance.now()
for (const s of sim.sessions()) await sink.write(s)
const loaded = await sink.flush()
const loadSeconds = (performance.now() - t0) / 1000
const rs = await store.client.query({ query: "SELECT count() AS n FROM events WHERE project_id = 'bench'", format: 'JSONEachRow' })
const stored = Number((await rs.json<{ n: string }>())[0]?.n ?? 0)
await store.close()
rmSync(dir, { recursive: true, force: true })
if (stored !== loaded) throw new Error(`bulk load stored ${stored} of ${loaded} events`)
console.log(`bulk-loaded ${loaded.toLocaleString('en')} events (generate + build rows + insert) in ${loadSeconds.toFixed(1)} s (${Math.round(loaded / loadSeconds).toLocaleString('en')} events/s)`)

const result = {
  benchmark: 'examples-simulate',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
  generate: { events: gen.events, seconds: +gen.seconds.toFixed(2), events_per_s: Math.round(gen.events / gen.seconds) },
  bulk_load: { events: loaded, seconds: +loadSeconds.toFixed(2), events_per_s: Math.round(loaded / loadSeconds) },
  summary: [
    { area: 'simulator', measure: `generate ${gen.events.toLocaleString('en')} events`, value: Math.round(gen.events / gen.seconds), unit: 'events/s' },
    { area: 'simulator', measure: `bulk load ${loaded.toLocaleString('en')} events (embedded)`, value: Math.round(loaded / loadSeconds), unit: 'events/s', note: 'generate + collector row builder + insert' },
  ],
}
mkdirSync(join(ROOT, 'bench-results'), { recursive: true })
writeFileSync(join(ROOT, 'bench-results', 'examples-simulate.json'), JSON.stringify(result, null, 2) + '\n')
