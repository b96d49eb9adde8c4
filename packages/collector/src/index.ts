/**
 * @tenure/collector — event ingestion for Tenure.
 *
 * Start a real collector in-process (tests of other packages, examples):
 *
 *   import { createCollector } from '@tenure/collector'
 *   const collector = await createCollector({ dataDir: mkdtempSync(join(tmpdir(), 'tenure-')) })
 *   const { url } = await collector.listen(0)            // ephemeral port
 *   const { writeKey, secretKey } = collector.bootstrap!  // the project created on first start
 *   // … POST `${url}/v1/batch` { write_key, sent_at, events: [...] } …
 *   await collector.deps.ingest.flush()                   // insert pending events now
 *   await collector.close()
 *
 * One process can open one embedded data folder: open one collector per test file, or pass
 * `store` to share an already open store. Pin keys with `env: { TENURE_WRITE_KEY, TENURE_SECRET_KEY }`.
 * Headless Chromium counts as a bot: pass `config: { allowHeadless: true }` for browser tests.
 *
 * Mount more routes in src/app.ts, one line each, with `requireSecretKey(deps.projects)` on anything
 * that reads data; `c.get('project')` is then the caller's project.
 */
export { createApp } from './app.js'
export { createCollector, type Collector, type CollectorOptions } from './collector.js'
export type { AppDeps, AppEnv } from './deps.js'
export { configFromEnv, defaultConfig, mergeConfig, type CollectorConfig, type ConfigOverrides } from './config.js'
export { ERROR_STATUS, HttpError, errorBody, type ErrorCode, type ErrorBody } from './errors.js'
export { Metrics } from './metrics.js'
export { ProjectRegistry, bootstrapProject, type Project, type CreatedProject } from './auth/projects.js'
export { requireSecretKey, verifySecretKey, bearerToken } from './auth/secret.js'
export { hashSecret } from './auth/keys.js'
export type { Ingest, IngestStats } from './ingest/pipeline.js'
export type { RowSink } from './ingest/sink.js'
export { chTime, eventRowJson, EVENT_COLUMNS, type EventRow, type AliasRow, type AccountRow, type RowBatch } from './ingest/rows.js'
// Row building for loaders that skip HTTP (simulators, benchmarks): the exact rows ingestion stores.
export { buildEventRow, type RowContext } from './ingest/event-row.js'
export { IdentityTracker } from './ingest/identity.js'
// Element text → tokens, as ingestion does before anything is written; loaders that skip HTTP use it too.
export { TextTokens } from './ingest/text-tokens.js'
export { parseAgent, NO_AGENT, type AgentInfo } from './ingest/ua.js'
export { isBot } from './ingest/bots.js'
export { storeSink } from './ingest/sink.js'
export type { EncodedBatch } from './ingest/encoded.js'
export * from './schema/batch.js'
