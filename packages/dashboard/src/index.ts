import { Hono, type Context } from 'hono'
import { accountName } from '@tenure/analysis'
import { csrfGuard, sessionAuth } from './auth.js'
import type { NavKey } from './components/layout.js'
import type { PageCtx } from './context.js'
import type { DashboardDeps, DashboardEnv } from './deps.js'
import { HealthReports } from './data/health-cache.js'
import { featurePageRoutes } from './features-routes.js'
import { nudgePageRoutes } from './nudges-routes.js'
import { accountIdOf, accountPage } from './pages/account.js'
import { liveRoutes } from './live-routes.js'
import { livePage } from './pages/live.js'
import { peoplePage } from './pages/people.js'
import { personPage } from './pages/person.js'
import { renewalCalendarPage } from './pages/renewal-calendar.js'
import { worklistPage } from './pages/worklist.js'
import { healthPage } from './pages/health.js'
import { NotFoundPage } from './pages/not-found.js'
import { overviewPage } from './pages/overview.js'
import { loadRetentionFeaturesPage } from './pages/retention-features.js'
import { loadRetentionPage } from './pages/retention.js'
import { revenuePage } from './pages/revenue.js'
import { HTML_HEADERS, renderHtml, renderPage } from './render.js'
import { Sessions, type SessionOptions } from './session.js'
import { staticRoutes } from './static.js'
import { carriedView, carryView } from './view-carry.js'

export type * from './deps.js'
export { LOGIN_FAILURES } from './auth.js'
// How the pages show numbers and times: tests of other packages compare pages with the JSON API through them.
export { DASH, fmtInterval, fmtMoney, fmtNum, fmtP, fmtPct, fmtRatio } from './format.js'
export { fmtInstant } from './components/person-link.js'
export { overview, type Overview, type OverviewDay } from './data/overview.js'
export { HealthReports, healthDataVersion } from './data/health-cache.js'
export { HealthWarmer, type HealthWarmStatus, type HealthWarmerOptions } from './data/health-warmer.js'

export interface DashboardOptions {
  sessions?: SessionOptions
}

const NAV_KEYS: readonly NavKey[] = ['overview', 'features', 'retention', 'accounts', 'nudges', 'people', 'live']

/** What every dashboard response carries: no caching of private pages, no framing, scripts only from here. */
function securityHeaders(): (c: Context<DashboardEnv>, next: () => Promise<void>) => Promise<void> {
  return async (c, next) => {
    await next()
    c.header('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'same-origin')
    c.header('X-Frame-Options', 'DENY')
  }
}

/**
 * The dashboard, which its host (the collector) mounts at /app: a login form that starts a session
 * (the secret key never goes in a URL), then server-rendered report pages whose numbers come from
 * the analysis functions the API uses. Every table downloads as CSV from `?csv=<table id>` on its
 * page's URL.
 */
export function dashboardRoutes(deps: DashboardDeps, opts: DashboardOptions = {}): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const sessions = new Sessions(opts.sessions)
  const auth = sessionAuth(deps, sessions)
  const navKeys = NAV_KEYS
  // The host may keep the reports warm itself (see HealthWarmer); else the pages fill them.
  const health = deps.health ?? new HealthReports()
  const ctxOf = (c: Context<DashboardEnv>): PageCtx => ({ client: deps.client, project: c.get('project'), deps, navKeys, health, view: carriedView(c) })

  app.use('*', securityHeaders())
  app.route('/', staticRoutes())
  app.use('*', csrfGuard())
  app.route('/', auth.routes)
  app.use('*', auth.require)
  app.use('*', carryView(deps.request))

  app.get('/', (c) => renderPage(overviewPage, ctxOf(c), c.req.query()))
  app.route('/', featurePageRoutes(ctxOf))
  app.get('/retention', async (c) => renderPage(await loadRetentionPage(ctxOf(c)), ctxOf(c), c.req.query()))
  app.get('/retention/features', async (c) => renderPage(await loadRetentionFeaturesPage(ctxOf(c)), ctxOf(c), c.req.query()))
  app.route('/', nudgePageRoutes(ctxOf))
  app.get('/accounts', (c) => renderPage(revenuePage, ctxOf(c), c.req.query()))
  app.get('/accounts/health', (c) => renderPage(healthPage, ctxOf(c), c.req.query()))
  app.get('/accounts/worklist', (c) => renderPage(worklistPage, ctxOf(c), c.req.query()))
  app.get('/accounts/calendar', (c) => renderPage(renewalCalendarPage, ctxOf(c), c.req.query()))
  app.get('/people', (c) => renderPage(peoplePage, ctxOf(c), c.req.query()))
  app.get('/person/:id{.+}', (c) => renderPage(personPage(c.req.path), ctxOf(c), c.req.query()))
  app.get('/live', (c) => renderPage(livePage, ctxOf(c), c.req.query()))
  app.route('/', liveRoutes(ctxOf))
  app.get('/account/:id{.+}', async (c) => renderPage(accountPage(c.req.path, await accountName(deps.client, c.get('project').id, accountIdOf(c.req.path))), ctxOf(c), c.req.query()))

  app.all('*', async (c) => c.body(await renderHtml(NotFoundPage({ project: c.get('project'), navKeys, path: c.req.path })), 404, HTML_HEADERS))
  return app
}
