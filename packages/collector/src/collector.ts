import { serve, type ServerType } from '@hono/node-server'
import { migrate, openStore, storeConfigFromEnv, type Store } from '@tenure/analysis/store'
import { backfillActivityRollup, tokeniseStoredText } from '@tenure/analysis'
import { HealthReports, HealthWarmer } from '@tenure/dashboard'
import type { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { createApp } from './app.js'
import { bootstrapProject, ProjectRegistry, type CreatedProject } from './auth/projects.js'
import { configFromEnv, mergeConfig, type ConfigOverrides } from './config.js'
import { CounterFlusher } from './counters/flusher.js'
import type { AppDeps, AppEnv, LegacyTextJob, RollupBackfillJob } from './deps.js'
import { SpoolIngest } from './ingest/pipeline.js'
import { Quarantine } from './ingest/quarantine.js'
import { storeSink, type RowSink } from './ingest/sink.js'
import { eventsReceivedUntil } from './ingest/stored-until.js'
import type { OpenSpoolFile } from './ingest/spool.js'
import { TextTokens } from './ingest/text-tokens.js'
import { Metrics } from './metrics.js'
import { RateLimiter } from './ratelimit.js'

/** How long an idle kept-alive connection stays open. */
const KEEP_ALIVE_MS = 65_000

export interface CollectorOptions {
  /** Data folder: the embedded engine lives in `<dataDir>/clickhouse`, the spool in `<dataDir>/spool`. */
  dataDir?: string
  /** An open, already migrated-or-not store to use instead of opening one; the caller closes it. */
  store?: Store
  port?: number
  /** Environment read for defaults (PORT, TENURE_*, CLICKHOUSE_URL); process.env when omitted. */
  env?: NodeJS.ProcessEnv
  /** Settings over the environment's. */
  config?: ConfigOverrides
  /** Wraps the store sink, e.g. to inject insert failures in tests. */
  wrapSink?: (sink: RowSink) => RowSink
  /** Opens the spool's segment files (node:fs open by default); tests wrap it to inject disk errors. */
  openSpoolFile?: OpenSpoolFile
}

export interface Collector {
  app: Hono<AppEnv>
  deps: AppDeps
  /** The project created on this start (first start, or pinned keys not yet known), with its plain keys. */
  bootstrap: CreatedProject | null
  listen(port?: number, hostname?: string): Promise<{ port: number; url: string }>
  /**
   * Stops accepting, inserts everything pending, closes the store if it opened it. If the store
   * stays unavailable for `timeoutMs` (10 s), the rest stays in the spool for the next start.
   */
  close(opts?: { timeoutMs?: number }): Promise<void>
}

/**
 * Opens the store, migrates, loads projects, replays the spool left by an earlier run and starts
 * batching. Nothing listens until `listen()`; `app.request()` works right away.
 */
export async function createCollector(opts: CollectorOptions = {}): Promise<Collector> {
  const env = opts.env ?? process.env
  const config = mergeConfig(configFromEnv(env), { ...opts.config, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.port !== undefined ? { port: opts.port } : {}) })
  const ownsStore = !opts.store
  const store =
    opts.store ??
    openStore(env.CLICKHOUSE_URL ? storeConfigFromEnv(env) : { kind: 'embedded', path: config.dataDir })
  try {
    await migrate(store)
    const metrics = new Metrics()
    const projects = await ProjectRegistry.load(store)
    const bootstrap = await bootstrapProject(projects, config.bootstrap)
    const sink = opts.wrapSink ? opts.wrapSink(storeSink(store)) : storeSink(store)
    const quarantine = new Quarantine(store, join(dirname(config.spool.dir), 'quarantine.jsonl'), sink)
    await quarantine.recoverFile().catch((err) => console.error('[collector] quarantine file kept; the quarantine table refused its rows:', String(err)))
    const ingest = await SpoolIngest.start(sink, config, metrics, quarantine, opts.openSpoolFile)
    // A client may retry, after this start, a batch an earlier run stored: only events the store
    // holds can have such copies, unless that run left events in the spool (replayed just now).
    const storedUntil = ingest.stats().replaySegments === 0 ? await eventsReceivedUntil(store).catch(() => null) : null
    const rateLimiter = new RateLimiter(config.rateLimit.eventsPerSecond, config.rateLimit.burst)
    const counters = await CounterFlusher.start(store.client, metrics.ledger, {
      intervalMs: config.countersFlushMs,
      leftoverFile: join(config.dataDir, 'ingest-counters.unsent.json'),
    })
    const texts = new TextTokens(store.client)
    await texts.preload(projects.list().map((p) => p.id))
    // A new project's first events then need no store round trip for its key.
    projects.onCreated = (p) => texts.preload([p.id])
    texts.start()
    // Folders from before element text became tokens: replaced in the background (restartable).
    const legacyJob: LegacyTextJob = { state: 'running', project: null, step: null }
    let closing = false
    const legacyText = (async () => {
      // Rows an earlier version left in the spool are stored first, so the job sees them too.
      while (!closing && (ingest.stats().replaySegments > 0 || !ingest.stats().storeUp)) await new Promise((r) => setTimeout(r, 200))
      if (!closing) await tokeniseStoredText(store, (p) => Object.assign(legacyJob, p))
    })().then(
      () => Object.assign(legacyJob, { state: 'done', project: null, step: null }),
      (err) => {
        legacyJob.state = 'failed'
        console.error('[collector] tokenising stored element text failed', err)
      },
    )
    // Folders from before the activity rollup: their events are added to it in the background, after
    // the text job (which rewrites stored element text, a rollup column). Reports say so meanwhile.
    const rollupJob: RollupBackfillJob = { state: 'waiting', project: null, table: null, month: null, months_done: 0, months: 0 }
    const rollupBackfill = legacyText
      .then(async () => {
        if (closing) return
        rollupJob.state = 'running'
        return backfillActivityRollup(
          store,
          (p) => Object.assign(rollupJob, { project: p.project, table: p.table, month: p.month, months_done: p.monthsDone, months: p.months }),
          () => closing,
        )
      })
      .then(
        (r) => Object.assign(rollupJob, (r ? r.stopped : closing) ? { state: 'stopped' } : { state: 'done', project: null, table: null, month: null }),
        (err) => {
          rollupJob.state = 'failed'
          console.error('[collector] adding stored events to the activity rollup failed', err)
        },
      )
    // The account pages' health reports, computed ahead of the pages once the rollup holds every
    // event (before, a report would be computed again for each month the backfill adds), and again
    // whenever their data changes. Startup and ingestion never wait for it.
    // Kept in the data folder too: a restart serves them at once while their data is unchanged.
    const healthReports = new HealthReports({ dir: join(config.dataDir, 'reports') })
    const warmer = new HealthWarmer({
      client: store.client,
      reports: healthReports,
      projects: () => projects.list().map((p) => p.id),
      intervalMs: config.healthWarmMs,
      onError: (projectId, err) => console.error(`[collector] computing the health report of project ${projectId} ahead of the pages failed`, err),
    })
    if (config.healthWarmMs > 0) void rollupBackfill.then(() => closing || warmer.start())
    else warmer.status.state = 'off'
    const deps: AppDeps = {
      store, projects, ingest, metrics, config, rateLimiter, counters, quarantine, texts, legacyText, legacyJob, rollupBackfill, rollupJob, storedUntil,
      healthReports, healthWarm: warmer.status, healthWarmer: warmer,
    }
    const app = createApp(deps)
    let server: ServerType | null = null
    let closed: Promise<void> | null = null

    return {
      app,
      deps,
      bootstrap,
      listen(port = config.port, hostname = '127.0.0.1') {
        return new Promise((resolve, reject) => {
          server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
            resolve({ port: info.port, url: `http://${hostname}:${info.port}` })
          })
          // A client that reuses a kept-alive connection just as the server closes it for idleness
          // gets a reset instead of an answer; Node closes after 5 s. Longer than the idle timeouts
          // of clients and load balancers in front (commonly 60 s), the close is theirs to make.
          if ('keepAliveTimeout' in server) {
            server.keepAliveTimeout = KEEP_ALIVE_MS
            server.headersTimeout = KEEP_ALIVE_MS + 1_000
          }
          server.once('error', reject)
        })
      },
      close(closeOpts) {
        closed ??= (async () => {
          if (server) {
            const s = server
            // Stop taking connections; requests in flight finish and their batches reach the spool first.
            await new Promise<void>((r) => s.close(() => r()))
            if ('closeIdleConnections' in s) s.closeIdleConnections()
          }
          closing = true
          // A report being computed ahead of the pages is let finish: the store stays open for it.
          await warmer.close()
          await healthReports.settled()
          await ingest.close(closeOpts)
          await legacyText
          await rollupBackfill
          // After the last insert: texts that reached k with it are published.
          await texts.check().catch(() => {})
          await texts.close()
          // After the batcher: what it stored while closing is counted too.
          await counters.close()
          if (ownsStore) await store.close()
        })()
        return closed
      },
    }
  } catch (err) {
    if (ownsStore) await store.close().catch(() => {})
    throw err
  }
}
