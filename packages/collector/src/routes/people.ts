import { Hono } from 'hono'
import { z } from 'zod'
import {
  accountProfile, accountWorklist, AnalysisError, filterWorklist, isTimeZone, liveEvents, personProfile, personTimeline, renewalCalendar, searchPeople, WorklistFilterQuery,
} from '@tenure/analysis'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import { query } from './request.js'

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

const SearchQuery = z.object({ q: text, limit: z.coerce.number().int().min(1).max(100).optional() })
const ProfileQuery = z.object({ tz: tz.optional() })
const TimelineQuery = z.object({ event: text.optional(), feature: text.optional(), cursor: z.string().max(300).optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
const LiveQuery = z.object({ after: z.string().max(300).optional(), event: text.optional(), person: text.optional(), url: z.string().min(1).max(500).optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
const AccountQuery = z.object({ as_of: date.optional(), tz: tz.optional() })
const WorklistQuery = WorklistFilterQuery.extend({ as_of: date.optional() })
const CalendarQuery = z.object({ as_of: date.optional(), days: z.coerce.number().int().min(1).max(3660).optional() })

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

  app.get('/v1/people', auth, async (c) => {
    const q = query(c, SearchQuery)
    return c.json({ people: await report(() => searchPeople(client, c.get('project').id, q.q, q.limit)) })
  })

  app.get('/v1/people/:id', auth, async (c) => {
    const q = query(c, ProfileQuery)
    const id = idParam(c.req.param('id'))
    const profile = await report(() => personProfile(client, { projectId: c.get('project').id, personId: id, timeZone: q.tz }))
    if (!profile) throw new HttpError('not_found', `no events of person ${id}`, 'id')
    return c.json(profile)
  })

  app.get('/v1/people/:id/events', auth, async (c) => {
    const q = query(c, TimelineQuery)
    const id = idParam(c.req.param('id'))
    const t = await report(() => personTimeline(client, { projectId: c.get('project').id, personId: id, event: q.event, feature: q.feature, cursor: q.cursor, limit: q.limit }))
    return c.json({ person: t.person, events: t.events, next_cursor: t.nextCursor })
  })

  app.get('/v1/events/live', auth, async (c) => {
    const q = query(c, LiveQuery)
    return c.json(await report(() => liveEvents(client, { projectId: c.get('project').id, after: q.after, event: q.event, person: q.person, url: q.url, limit: q.limit })))
  })

  app.get('/v1/accounts/:id/profile', auth, async (c) => {
    const q = query(c, AccountQuery)
    const id = idParam(c.req.param('id'))
    const profile = await report(() => accountProfile(client, { projectId: c.get('project').id, accountId: id, asOf: q.as_of, tz: q.tz }))
    if (!profile) throw new HttpError('not_found', `no account ${id} in imported data or events`, 'id')
    return c.json(profile)
  })

  app.get('/v1/reports/worklist', auth, async (c) => {
    const q = query(c, WorklistQuery)
    const list = await report(() => accountWorklist(client, { projectId: c.get('project').id, asOf: q.as_of }))
    const rows = await report(async () => filterWorklist(list.rows, {
      bands: q.band, trends: q.trend, minArr: q.min_arr, maxArr: q.max_arr, renewalWithinDays: q.renewal_within_days, sort: q.sort, dir: q.dir,
    }))
    return c.json({ asOf: list.asOf, currency: list.currency, rows })
  })

  app.get('/v1/reports/renewal-calendar', auth, async (c) => {
    const q = query(c, CalendarQuery)
    const list = await report(() => accountWorklist(client, { projectId: c.get('project').id, asOf: q.as_of }))
    const days = q.days ?? 90
    return c.json({ asOf: list.asOf, currency: list.currency, days, renewals: await report(async () => renewalCalendar(list, days)) })
  })

  return app
}
