import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Collector } from '@tenure/collector'
import { parseSimConfig, type SimConfigInput } from '../simulate/config.js'
import { runSimulation } from '../simulate/simulate.js'
import { HttpSink } from '../simulate/sinks/http.js'
import type { GroundTruth } from '../simulate/ground-truth.js'
import { importDemoBook } from './book.js'
import { defineDemoFeatures } from './features.js'
import { prepareDemoNudge } from './nudge.js'

/**
 * Small enough to load in about a minute, large enough for the reports to find the ground truth.
 * TENURE_DEMO_USERS / TENURE_DEMO_DAYS change it (tests use a smaller world).
 */
export function demoWorld(env: NodeJS.ProcessEnv = process.env): SimConfigInput {
  return { seed: 1, users: Number(env.TENURE_DEMO_USERS || 700), days: Number(env.TENURE_DEMO_DAYS || 180) }
}

export interface DemoHistory {
  loaded: boolean
  events: number
  groundTruth: GroundTruth | null
}

interface Marker {
  endDate: string
  done: boolean
  groundTruth?: GroundTruth
}

/**
 * Loads the simulated history once per data folder, through the collector's own `POST /v1/batch`
 * (so the demo exercises the real ingestion path), then the account book, the feature
 * definitions and one nudge, as a draft ready to start. A marker file remembers
 * the end date, so an interrupted load resumes with the same events (same ids) instead of new ones.
 */
export async function ensureDemoHistory(opts: {
  collector: Collector
  url: string
  writeKey: string
  projectId: string
  dataDir: string
  log?: (line: string) => void
}): Promise<DemoHistory> {
  const log = opts.log ?? (() => {})
  const markerFile = join(opts.dataDir, 'demo-history.json')
  const marker: Marker | null = existsSync(markerFile) ? (JSON.parse(readFileSync(markerFile, 'utf8')) as Marker) : null
  if (marker?.done) return { loaded: false, events: marker.groundTruth?.totals.events ?? 0, groundTruth: marker.groundTruth ?? null }
  const existing = await countEvents(opts.collector, opts.projectId)
  if (!marker && existing > 0) return { loaded: false, events: existing, groundTruth: null }

  const cfg = parseSimConfig({ ...demoWorld(), ...(marker ? { endDate: marker.endDate } : {}) })
  writeFileSync(markerFile, JSON.stringify({ endDate: cfg.endDate, done: false } satisfies Marker))
  log(`loading ${cfg.days} days of simulated history (${cfg.users} users) through ${opts.url}/v1/batch …`)
  const sink = new HttpSink({ url: opts.url, writeKey: opts.writeKey, batchSize: 250, concurrency: 4 })
  const { groundTruth, accountBook } = await runSimulation(cfg, (s) => sink.write(s))
  const stats = await sink.flush()
  if (stats.rejected > 0) throw new Error(`the collector rejected ${stats.rejected} simulated events, e.g. ${JSON.stringify(stats.firstRejection)}`)
  await opts.collector.deps.ingest.flush()
  await importDemoBook(opts.collector.deps.store.client, opts.projectId, accountBook)
  await defineDemoFeatures(opts.collector.deps.store.client, opts.projectId)
  await prepareDemoNudge(opts.collector.deps.store.client, opts.projectId)
  writeFileSync(markerFile, JSON.stringify({ endDate: cfg.endDate, done: true, groundTruth } satisfies Marker, null, 2))
  return { loaded: true, events: groundTruth.totals.events, groundTruth }
}

export async function countEvents(collector: Collector, projectId: string): Promise<number> {
  const rs = await collector.deps.store.client.query({
    query: 'SELECT count() AS n FROM events WHERE project_id = {project:String}',
    query_params: { project: projectId },
    format: 'JSONEachRow',
  })
  const [row] = await rs.json<{ n: string }>()
  return Number(row?.n ?? 0)
}
