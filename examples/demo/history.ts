import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Collector } from '@tenure/collector'
import { parseSimConfig, SimConfigSchema, type SimConfigInput } from '../simulate/config.js'
import { Simulation } from '../simulate/simulate.js'
import { IngestSink } from '../simulate/sinks/ingest.js'
import { HttpSink } from '../simulate/sinks/http.js'
import type { GroundTruth } from '../simulate/ground-truth.js'
import { DAY_MS, formatDay, parseDay } from '../simulate/dates.js'
import { importDemoBook } from './book.js'
import { defineDemoFeatures } from './features.js'
import { prepareDemoNudge } from './nudge.js'
import { experimentDays, recordDemoExperiments, simulatedNudges } from './experiments.js'

/**
 * Free sign-ups during the experiments, per customer user: enough people past day 30 for the
 * schedule-report experiment to be conclusive (about 900 per arm).
 */
export const FREE_SIGNUPS_PER_USER = 2.5

/**
 * Export CSV does nothing, but on their first day people try it with chance 0.2 × propensity³,
 * so mostly the ones who come back anyway: the high-retention report flags it.
 */
const CONFOUNDED = { feature: 'projects.export_csv', use: 0.2, exponent: 3, days: 1 }

/**
 * Small enough to load in about a minute, large enough for the reports to find the ground truth.
 * TENURE_DEMO_USERS / TENURE_DEMO_DAYS change it (tests use a smaller world). Besides the
 * customers' users, a sign-up campaign brings free workspaces while the demo's two nudge
 * experiments run (demo/experiments.ts), and *Export CSV* is the confounded feature: used most by
 * people who come back anyway. The history ends the day before `endDate` (default today).
 */
export function demoWorld(env: NodeJS.ProcessEnv = process.env, endDate = new Date().toISOString().slice(0, 10)): SimConfigInput & { endDate: string } {
  const users = Number(env.TENURE_DEMO_USERS || 700)
  const days = Number(env.TENURE_DEMO_DAYS || 180)
  const { [CONFOUNDED.feature]: _random, ...adoption } = SimConfigSchema.parse({}).adoption
  const run = experimentDays({ startDate: formatDay(parseDay(endDate) - days * DAY_MS), days })
  return {
    seed: 1,
    users,
    days,
    endDate,
    adoption,
    confounded: CONFOUNDED,
    ...(run ? { freeSignups: { users: Math.round(FREE_SIGNUPS_PER_USER * users), ...run }, nudges: simulatedNudges(run) } : {}),
  }
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
 * Loads the simulated history once per data folder: the customers' visits through the
 * collector's own `POST /v1/batch` (so the demo exercises the real ingestion path), the free
 * sign-ups' visits straight into its ingestion pipeline (the same rows, spool and inserts, minus
 * HTTP, which would cost more than everything else for that many people at once); then the
 * account book, the feature definitions, the finished nudge experiments and one nudge, as a
 * draft ready to start. A marker file remembers the end date, so an interrupted load resumes with
 * the same events (same ids) instead of new ones.
 */
export async function ensureDemoHistory(opts: {
  collector: Collector
  url: string
  writeKey: string
  projectId: string
  dataDir: string
  log?: (line: string) => void
  /** The history ends the day before (default today); tests pin it. */
  endDate?: string
}): Promise<DemoHistory> {
  const log = opts.log ?? (() => {})
  const markerFile = join(opts.dataDir, 'demo-history.json')
  const marker: Marker | null = existsSync(markerFile) ? (JSON.parse(readFileSync(markerFile, 'utf8')) as Marker) : null
  if (marker?.done) return { loaded: false, events: marker.groundTruth?.totals.events ?? 0, groundTruth: marker.groundTruth ?? null }
  const existing = await countEvents(opts.collector, opts.projectId)
  if (!marker && existing > 0) return { loaded: false, events: existing, groundTruth: null }

  const cfg = parseSimConfig(demoWorld(process.env, marker?.endDate ?? opts.endDate))
  writeFileSync(markerFile, JSON.stringify({ endDate: cfg.endDate, done: false } satisfies Marker))
  log(
    `loading ${cfg.days} days of simulated history: ${cfg.users} customers' users through ${opts.url}/v1/batch` +
      (cfg.freeSignups ? `, ${cfg.freeSignups.users} free sign-ups into the ingestion pipeline …` : ' …'),
  )
  // History arrives all at once, so in the largest batches the endpoint takes (a browser sends small ones).
  const sink = new HttpSink({ url: opts.url, writeKey: opts.writeKey, batchSize: 1000, concurrency: 4 })
  const simulation = new Simulation(cfg)
  const free = new Set(simulation.accounts.filter((a) => a.plan === 'free').map((a) => a.id))
  const bulk = new IngestSink({ collector: opts.collector, projectId: opts.projectId })
  for (const s of simulation.sessions()) {
    if (s.accountId && free.has(s.accountId)) await bulk.write(s)
    else await sink.write(s)
  }
  const { groundTruth, accountBook } = simulation.result()
  const stats = await sink.flush()
  await bulk.flush()
  if (stats.rejected > 0) throw new Error(`the collector rejected ${stats.rejected} simulated events, e.g. ${JSON.stringify(stats.firstRejection)}`)
  await opts.collector.deps.ingest.flush()
  await importDemoBook(opts.collector.deps.store.client, opts.projectId, accountBook)
  await defineDemoFeatures(opts.collector.deps.store.client, opts.projectId)
  await recordDemoExperiments(opts.collector.deps.store.client, opts.projectId, { startDate: groundTruth.startDate, days: cfg.days })
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
