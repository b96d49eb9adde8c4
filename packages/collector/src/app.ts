import { Hono } from 'hono'
import { dashboardRoutes } from '@tenure/dashboard'
import { dashboardDeps } from './dashboard.js'
import type { AppDeps, AppEnv } from './deps.js'
import { errorBody, handleError } from './errors.js'
import { accountRoutes } from './routes/accounts.js'
import { analysisRoutes } from './routes/analysis.js'
import { featureRoutes } from './routes/features.js'
import { healthRoutes } from './routes/health.js'
import { ingestRoutes } from './routes/ingest.js'
import { nudgeRoutes } from './routes/nudges.js'
import { openApiRoutes } from './routes/openapi.js'
import { peopleRoutes } from './routes/people.js'
import { queryRoutes } from './routes/query.js'
import { quarantineRoutes } from './routes/quarantine.js'
import { textSettingsRoutes } from './routes/texts.js'
import { sdkRoutes } from './routes/sdk.js'
import { savedSegmentRoutes } from './routes/saved-segments.js'

/** The Hono app: wiring only. Each route module is a function of the deps, mounted in one line. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.onError(handleError)
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404))

  app.route('/', healthRoutes(deps))
  app.route('/', ingestRoutes(deps)) // POST /v1/batch (SDK and Segment), /v1/track|identify|page|screen|group|alias
  app.route('/', queryRoutes(deps)) // GET /v1/events/count (secret key)
  app.route('/', quarantineRoutes(deps)) // GET /v1/quarantine, POST /v1/quarantine/reinsert (secret key)
  app.route('/', sdkRoutes(deps)) // GET /sdk/tenure.js, /sdk/tenure-nudges.js, /sdk/<version>/…, /sdk/manifest.json (public)

  // ── Routes of other packages: one line each, e.g. ─────────────────────────────
  // app.route('/v1', analysisRoutes(deps))
  // app.route('/v1/nudges', nudgeRoutes(deps))
  app.route('/app', dashboardRoutes(dashboardDeps(deps))) // web dashboard (@tenure/dashboard): login, report pages, CSV downloads (session cookie)
  app.route('/', nudgeRoutes(deps)) // /v1/nudges (secret key; /active and /eligibility with the write key), /v1/reports/nudges/:id
  app.route('/', accountRoutes(deps)) // /v1/accounts/import|imports|:id, /v1/reports/revenue|renewals|health|seat-sharing (secret key)
  app.route('/', analysisRoutes(deps)) // /v1/analysis/retention|feature-retention|high-retention|aha|account-features (secret key)
  app.route('/', savedSegmentRoutes(deps)) // /v1/segments, /v1/segments/properties, /v1/segments/:id[/history] (secret key)
  app.route('/', featureRoutes(deps)) // /v1/features, /v1/features/suggestions, /v1/features/:id[/history] (secret key)
  app.route('/', textSettingsRoutes(deps)) // /v1/settings/element-text: k people before element text is stored in plain (secret key)
  app.route('/', peopleRoutes(deps)) // /v1/people[/:id[/events]], /v1/events/live, /v1/accounts/:id/profile, /v1/reports/worklist|renewal-calendar (secret key)
  // ── end of mounted routes ─────────────────────────────────────────────────────
  app.route('/', openApiRoutes(app)) // GET /openapi.json, /docs/api: generated from the routes above (public)

  return app
}
