import { Hono } from 'hono'
import { z } from 'zod'
import {
  accountProfile, accountWorklist, AnalysisError, filterWorklist, isTimeZone, liveEvents, personProfile, personTimeline, renewalCalendar, searchPeople, WorklistFilterQuery,
} from '@tenure/analysis'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import { describe, type RouteDoc } from '../openapi/describe.js'
import { query } from './request.js'
import { analysisCall } from './analysis.js'
import { segmentQueryShape } from './segment-query.js'

/**
 * People, account profiles, worklists and live events (secret key on every route; scoped to the key's project).
 *
 *   GET /v1/people?q=                       people whose id contains q (ids starting with it first)
 *   GET /v1/people/:id                      profile: identities, accounts, first/last seen, active days (?tz), features, nudges
 *   GET /v1/people/:id/events               timeline, newest first (?event, ?feature, ?limit ≤ 500, ?cursor from next_cursor)
 *   GET /v1/events/live                     newest stored events (?after from cursor, ?event, ?person, ?url, ?limit)
 *   GET /v1/accounts/:id/profile            people, health and trend, next renewal, weekly usage, seat sharing (?as_of, ?tz)
 *   GET /v1/reports/worklist                accounts with health, ARR, renewal, usage trend
 *                                           (?band=red,yellow ?min_arr ?max_arr ?renewal_within_days ?trend=declining ?sort ?dir ?as_of)
 *   GET /v1/reports/renewal-calendar        renewals due in the next ?days (90) with health (?as_of)
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
const tz = z.string().refine(isTimeZone, 'is not an IANA time zone such as UTC or Europe/Berlin')
const text = z.string().min(1).max(200)

const limit = (max: number) => z.coerce.number().int().min(1).max(max).describe(`At most this many (1–${max})`)
const inZone = tz.describe('IANA time zone of calendar days; default UTC')
const asOf = date.describe('Day the figures are taken on (YYYY-MM-DD); default today')
const SearchQuery = z.object({ q: text.describe('Part of a user or anonymous id'), limit: limit(100).optional(), ...segmentQueryShape })
const ProfileQuery = z.object({ tz: inZone.optional() })
const TimelineQuery = z.object({
  event: text.describe('Only this event name').optional(),
  feature: text.describe('Only uses of this feature id').optional(),
  cursor: z.string().max(300).describe('`next_cursor` of the previous page').optional(),
  limit: limit(500).optional(),
})
const LiveQuery = z.object({
  after: z.string().max(300).describe('`cursor` of the previous answer: only what was stored since').optional(),
  event: text.describe('Only this event name').optional(),
  person: text.describe('Only this person (user or anonymous id)').optional(),
  url: z.string().min(1).max(500).describe('Only events whose URL contains this').optional(),
  limit: limit(500).optional(),
})
const AccountQuery = z.object({ as_of: asOf.optional(), tz: inZone.optional() })
const WorklistQuery = WorklistFilterQuery.extend({ as_of: asOf.optional() })
const CalendarQuery = z.object({ as_of: asOf.optional(), days: z.coerce.number().int().min(1).max(3660).describe('Renewals due in the next this many days; default 90').optional() })
const IdPath = z.object({ id: z.string().min(1).max(200) })
const doc = (d: Omit<RouteDoc, 'auth'>) => describe({ auth: 'secret', ...d })

/** Analysis refusals (bad cursor, bad date…) are the caller's to fix. */
async function report<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof AnalysisError && err.code === 'invalid') throw new HttpError('invalid_query', err.message, err.field ?? null)
    throw err
  }
}

function idParam(id: string): string {
  if (!id || id.length > 200) throw new HttpError('invalid_query', 'an id has 1 to 200 characters', 'id')
  return id
}

export function peopleRoutes(deps: Pick<AppDeps, 'projects' | 'store'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const client = deps.store.client
  const auth = requireSecretKey(deps.projects)

  app.get('/v1/people', ...doc({ tag: 'People', summary: 'People whose id contains q (ids starting with it first); with a segment, only its people', query: SearchQuery, ok: { description: '`{people: [...]}`' } }), auth, async (c) => {
    const q = query(c, SearchQuery)
    return c.json({ people: await analysisCall(() => searchPeople(client, c.get('project').id, q.q, q.limit, { segment: q.segment, segmentDef: q.segment_def }), 'query') })
  })

  app.get('/v1/people/:id', ...doc({
    tag: 'People',
    summary: 'Person profile: identities, accounts, first and last seen, active days, traits, features, nudges',
    path: IdPath,
    query: ProfileQuery,
    ok: { description: 'The profile.' },
    errors: [404],
  }), auth, async (c) => {
    const q = query(c, ProfileQuery)
    const id = idParam(c.req.param('id'))
    const profile = await report(() => personProfile(client, { projectId: c.get('project').id, personId: id, timeZone: q.tz }))
    if (!profile) throw new HttpError('not_found', `no events of person ${id}`, 'id')
    return c.json(profile)
  })

  app.get('/v1/people/:id/events', ...doc({ tag: 'People', summary: "A person's events, newest first", path: IdPath, query: TimelineQuery, ok: { description: '`{person, events, next_cursor}`' } }), auth, async (c) => {
    const q = query(c, TimelineQuery)
    const id = idParam(c.req.param('id'))
    const t = await report(() => personTimeline(client, { projectId: c.get('project').id, personId: id, event: q.event, feature: q.feature, cursor: q.cursor, limit: q.limit }))
    return c.json({ person: t.person, events: t.events, next_cursor: t.nextCursor })
  })

  app.get('/v1/events/live', ...doc({ tag: 'Events', summary: 'The newest events stored in the last hour, newest first', query: LiveQuery, ok: { description: '`{events, cursor}`' } }), auth, async (c) => {
    const q = query(c, LiveQuery)
    return c.json(await report(() => liveEvents(client, { projectId: c.get('project').id, after: q.after, event: q.event, person: q.person, url: q.url, limit: q.limit })))
  })

  app.get('/v1/accounts/:id/profile', ...doc({
    tag: 'Accounts and renewals',
    summary: 'Account profile: people, health and trend, next renewal, weekly usage, seat-sharing evidence',
    path: IdPath,
    query: AccountQuery,
    ok: { description: 'The profile.' },
    errors: [404],
  }), auth, async (c) => {
    const q = query(c, AccountQuery)
    const id = idParam(c.req.param('id'))
    const profile = await report(() => accountProfile(client, { projectId: c.get('project').id, accountId: id, asOf: q.as_of, tz: q.tz }))
    if (!profile) throw new HttpError('not_found', `no account ${id} in imported data or events`, 'id')
    return c.json(profile)
  })

  app.get('/v1/reports/worklist', ...doc({ tag: 'Accounts and renewals', summary: 'Paying accounts with health, ARR, next renewal and usage trend', query: WorklistQuery, ok: { description: '`{asOf, currency, rows}`' } }), auth, async (c) => {
    const q = query(c, WorklistQuery)
    const list = await report(() => accountWorklist(client, { projectId: c.get('project').id, asOf: q.as_of }))
    const rows = await report(async () => filterWorklist(list.rows, {
      bands: q.band, trends: q.trend, minArr: q.min_arr, maxArr: q.max_arr, renewalWithinDays: q.renewal_within_days, sort: q.sort, dir: q.dir,
    }))
    return c.json({ asOf: list.asOf, currency: list.currency, rows })
  })

  app.get('/v1/reports/renewal-calendar', ...doc({ tag: 'Accounts and renewals', summary: 'Renewals due soon, soonest first, with health', query: CalendarQuery, ok: { description: '`{asOf, currency, days, renewals}`' } }), auth, async (c) => {
    const q = query(c, CalendarQuery)
    const list = await report(() => accountWorklist(client, { projectId: c.get('project').id, asOf: q.as_of }))
    const days = q.days ?? 90
    return c.json({ asOf: list.asOf, currency: list.currency, days, renewals: await report(async () => renewalCalendar(list, days)) })
  })

  return app
}
