import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { z } from 'zod'
import {
  AnalysisError, activeNudgeIndex, archiveNudge, createNudge, getNudge, listNudges, nudgeEligibility, nudgeHistory, nudgeReport, NUDGE_STATUSES, NudgeId, NudgeInput,
  NudgeReportParams, startNudge, stopNudge, updateNudge,
} from '@tenure/analysis'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { errorBody, HttpError } from '../errors.js'
import { describe, wireQuery } from '../openapi/describe.js'
import { parseJson } from '../ingest/body.js'
import { BoundedMap } from '../ingest/bounded.js'
import { projectForWriteKey, query, spendRate } from './request.js'
import { segmentQueryShape } from './segment-query.js'

/**
 * Onboarding nudges (metrics spec §7).
 *
 * Public, for the SDK's nudge chunk (write key as `?write_key=`, CORS open like ingestion):
 *   GET  /v1/nudges/active            the project's active nudges, as pages need them (cached 60 s)
 *   GET  /v1/nudges/eligibility       which of them this user may see: in the first N days, target feature
 *                                     not used, plan (?anonymous_id, ?user_id, ?account_id). Only nudge ids
 *                                     are answered, never the facts behind them.
 * Secret key:
 *   GET  /v1/nudges                   list, archived ones left out (?status=draft|active|stopped|archived)
 *   POST /v1/nudges                   create a draft (201)
 *   GET  /v1/nudges/:id               one nudge
 *   GET  /v1/nudges/:id/history       every version, oldest first
 *   PUT  /v1/nudges/:id               edit: a new version with the new configuration
 *   POST /v1/nudges/:id/start|stop    put live / take off every page (pause|resume are the same)
 *   POST /v1/nudges/:id/archive       off every page for good, out of the list; report and history stay
 *   GET  /v1/reports/nudges/:id       lift report (?as_of, ?timezone, ?adoption_days, ?retention_day, ?mode, ?min_n, ?target_cace, ?segment, ?segment_def)
 *
 * Every SDK batch answer carries `nudges: true` while the project has an active nudge (see ingest),
 * so pages fetch the nudge chunk only then.
 */
const MAX_BODY_BYTES = 64 * 1024
/** How long one user's eligibility answer is reused; their new events show after at most this. */
const ELIGIBILITY_TTL_MS = 15_000

const id = z.string().max(200)
const writeKey = z.string().max(200).describe('The project write key')
const EligibilityQuery = z.object({
  write_key: writeKey.optional(),
  anonymous_id: id.min(1).describe("The page's anonymous id"),
  user_id: id.describe('The identified user, if any').optional(),
  account_id: id.describe('The account (group) id, if any').optional(),
})
const ActiveQuery = z.object({ write_key: writeKey.optional() })
const ListQuery = z.object({ status: z.enum(NUDGE_STATUSES).describe('Only nudges in this state; archived ones are listed only when asked for').optional() })
const IdPath = z.object({ id: NudgeId })
const ReportQuery = z.object({
  ...segmentQueryShape,
  as_of: z.string().max(40).optional(),
  timezone: z.string().max(64).optional(),
  adoption_days: z.string().max(10).optional(),
  retention_day: z.string().max(10).optional(),
  mode: z.string().max(20).optional(),
  min_n: z.string().max(10).optional(),
  target_cace: z.string().max(20).optional(),
})

/** The parameters as documented: the report's own schema (which checks the values) under their query names. */
const ReportDoc = wireQuery(NudgeReportParams, ['nudgeId']).extend(segmentQueryShape)

const VERB_SUMMARY: Record<'start' | 'resume' | 'stop' | 'pause' | 'archive', string> = {
  start: 'Put a nudge live on pages',
  resume: 'Resume a paused nudge (the same as start)',
  stop: 'Take a nudge off every page; it can be started again',
  pause: 'Pause a nudge (the same as stop)',
  archive: 'Archive a nudge: off every page for good and out of the list; its report and history stay',
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/**
 * Analysis refusals keep their field; `invalid` is the caller's body (or query) to fix. Query
 * parameters are snake_case on the wire, so their names are translated back in the answer.
 */
async function analysis<T>(run: () => Promise<T>, where: 'body' | 'query' = 'body'): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (!(err instanceof AnalysisError)) throw err
    if (err.code !== 'invalid') throw new HttpError(err.code, err.message, err.field)
    if (where === 'body') throw new HttpError('invalid_body', err.message, err.field)
    const field = err.field && snake(err.field)
    throw new HttpError('invalid_query', field ? err.message.replace(err.field!, field) : err.message, field)
  }
}

export function nudgeRoutes(deps: Pick<AppDeps, 'projects' | 'store' | 'config' | 'rateLimiter' | 'metrics'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const client = deps.store.client
  const index = activeNudgeIndex(client)
  // Warm the index so the first batches of a fresh process already know.
  index.refresh().catch(() => {})
  const answers = new BoundedMap<{ at: number; eligible: string[] }>(50_000)
  const auth = requireSecretKey(deps.projects)
  const publicCors = cors({ origin: deps.config.corsOrigin, allowMethods: ['GET', 'OPTIONS'], maxAge: 86_400 })
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `a nudge is at most ${MAX_BODY_BYTES} bytes`), 413),
  })

  const writeKeyProject = async (c: Context<AppEnv>, key: string | undefined) => {
    const project = await projectForWriteKey(deps, key)
    spendRate(deps, project, 1)
    return project
  }

  // Public routes first: `/v1/nudges/:id` would match their paths too.
  app.use('/v1/nudges/active', publicCors)
  app.use('/v1/nudges/eligibility', publicCors)

  app.get('/v1/nudges/active', ...describe({
    tag: 'Nudges',
    summary: "The project's active nudges, as pages need them (cached 60 s)",
    auth: 'write-key',
    query: ActiveQuery,
    ok: { description: '`{nudges: [...]}`' },
    errors: [429],
  }), async (c) => {
    const project = await writeKeyProject(c, query(c, ActiveQuery).write_key)
    c.header('Cache-Control', 'public, max-age=60')
    return c.json({ nudges: await index.list(project.id) })
  })

  app.get('/v1/nudges/eligibility', ...describe({
    tag: 'Nudges',
    summary: 'Which active nudges this person may see',
    description: 'In their first N days, target feature not used yet, plan and pages matching, not held out. Only nudge ids are answered, never the facts behind them.',
    auth: 'write-key',
    query: EligibilityQuery,
    ok: { description: '`{eligible: [nudge id]}`' },
    errors: [429],
  }), async (c) => {
    const q = query(c, EligibilityQuery)
    const project = await writeKeyProject(c, q.write_key)
    const key = [project.id, q.anonymous_id, q.user_id ?? '', q.account_id ?? ''].join('\u0000')
    const now = Date.now()
    let hit = answers.get(key)
    if (!hit || now - hit.at > ELIGIBILITY_TTL_MS) {
      const r = await nudgeEligibility(client, project.id, { anonymousId: q.anonymous_id, userId: q.user_id, accountId: q.account_id }, now)
      hit = { at: now, eligible: r.eligible }
      answers.set(key, hit)
    }
    c.header('Cache-Control', 'private, no-store')
    return c.json({ eligible: hit.eligible })
  })

  app.get('/v1/nudges', ...describe({ tag: 'Nudges', summary: 'Every nudge, archived ones left out', auth: 'secret', query: ListQuery, ok: { description: '`{nudges: [...]}`' } }), auth, async (c) => {
    const q = query(c, ListQuery)
    return c.json({ nudges: await listNudges(client, c.get('project').id, { status: q.status }) })
  })

  app.post('/v1/nudges', ...describe({
    tag: 'Nudges',
    summary: 'Create a nudge as a draft',
    description: 'The audience defaults to identified users in their first 14 days on every page; anonymous visitors only with `audience.anonymous: true`.',
    auth: 'secret',
    body: { schema: NudgeInput },
    ok: { status: 201, description: 'The nudge, version 1, status draft.' },
    errors: [409, 413],
  }), auth, limit, async (c) => {
    const body = parseJson(await c.req.text()) as NudgeInput
    const nudge = await analysis(() => createNudge(client, c.get('project').id, body))
    return c.json(nudge, 201)
  })

  app.get('/v1/nudges/:id', ...describe({ tag: 'Nudges', summary: 'One nudge', auth: 'secret', path: IdPath, ok: { description: 'The nudge.' }, errors: [404] }), auth, async (c) => {
    const nudge = await getNudge(client, c.get('project').id, c.req.param('id'))
    if (!nudge) throw new HttpError('not_found', `no nudge ${c.req.param('id')}`, 'id')
    return c.json(nudge)
  })

  app.put('/v1/nudges/:id', ...describe({
    tag: 'Nudges',
    summary: 'Edit a nudge: a new version with the new configuration',
    auth: 'secret',
    path: IdPath,
    body: { schema: NudgeInput },
    ok: { description: 'The new version.' },
    errors: [404, 409, 413],
  }), auth, limit, async (c) => {
    const body = parseJson(await c.req.text()) as NudgeInput
    return c.json(await analysis(() => updateNudge(client, c.get('project').id, c.req.param('id'), body)))
  })

  app.get('/v1/nudges/:id/history', ...describe({ tag: 'Nudges', summary: 'Every version of a nudge, oldest first', auth: 'secret', path: IdPath, ok: { description: '`{versions: [...]}`' }, errors: [404] }), auth, async (c) => c.json({ versions: await analysis(() => nudgeHistory(client, c.get('project').id, c.req.param('id'))) }))

  for (const [verbs, run] of [[['start', 'resume'], startNudge], [['stop', 'pause'], stopNudge], [['archive'], archiveNudge]] as const) {
    for (const verb of verbs) {
      const doc = describe({ tag: 'Nudges', summary: VERB_SUMMARY[verb], auth: 'secret', path: IdPath, ok: { description: 'The nudge in its new state.' }, errors: [404, 409] })
      app.post(`/v1/nudges/:id/${verb}`, ...doc, auth, async (c) => c.json(await analysis(() => run(client, c.get('project').id, c.req.param('id')))))
    }
  }

  app.get('/v1/reports/nudges/:id', ...describe({
    tag: 'Nudges',
    summary: 'Lift report: shown vs held-out users, adoption and retention with intervals, and the users still needed per arm',
    description:
      'Its `experiment` section treats the holdout as a randomised encouragement design: ITT, first-stage F, CACE with fixed-horizon and always-valid intervals, and the users needed for `target_cace`.',
    auth: 'secret',
    path: IdPath,
    query: ReportDoc,
    ok: { description: 'The nudge report.' },
    errors: [404],
  }), auth, async (c) => {
    const q = query(c, ReportQuery)
    // Numbers and the mode stay strings here: the report's own schema coerces and checks them.
    const params = {
      project: c.get('project').id,
      nudgeId: c.req.param('id'),
      asOf: q.as_of,
      timezone: q.timezone,
      adoptionDays: q.adoption_days,
      retentionDay: q.retention_day,
      mode: q.mode,
      minN: q.min_n,
      targetCace: q.target_cace,
      segment: q.segment,
      segmentDef: q.segment_def,
    } as unknown as NudgeReportParams & { project: string; segment?: string; segmentDef?: string }
    return c.json(await analysis(() => nudgeReport(client, params), 'query'))
  })

  return app
}
