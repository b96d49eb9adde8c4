import { isTimeZone, SegmentId } from '@tenure/analysis'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { DashboardEnv } from './deps.js'
import { isoDate, urlWith } from './params.js'
import type { RequestOrigin } from './deps.js'

/** The date range, time zone and segment the user last chose, carried to the next page they open. */
export interface CarriedView {
  from?: string
  to?: string
  tz?: string
  /** A saved segment's id; pages with a segment picker restrict their reports to it. */
  segment?: string
}

const COOKIE = 'tenure_view'

/** Which carried values each page takes, and under which of its own parameter names. */
function keysFor(path: string): Record<keyof CarriedView, string | null> | null {
  const rel = path.replace(/^\/app/, '') || '/'
  if (rel.startsWith('/retention')) return { from: 'from', to: 'to', tz: 'tz', segment: 'segment' }
  if (rel === '/features') return { from: 'from', to: 'to', tz: 'tz', segment: 'segment' }
  if (rel === '/') return { from: 'from', to: 'to', tz: 'tz', segment: 'segment' }
  if (/^\/nudges\/[^/]+$/.test(rel) && rel !== '/nudges/new') return { from: 'from', to: 'to', tz: 'tz', segment: 'segment' }
  // Account reports are "as of" a day: the range's last day.
  if (rel === '/accounts' || rel.startsWith('/accounts/')) return { from: null, to: 'as_of', tz: null, segment: 'segment' }
  // One account's page is that account whatever the segment.
  if (rel.startsWith('/account/')) return { from: null, to: 'as_of', tz: null, segment: null }
  if (rel === '/people') return { from: null, to: null, tz: null, segment: 'segment' }
  if (rel.startsWith('/person/')) return { from: null, to: null, tz: 'tz', segment: null }
  return null
}

function valid(v: CarriedView): CarriedView {
  const out: CarriedView = {}
  if (v.from && isoDate.safeParse(v.from).success) out.from = v.from
  if (v.to && isoDate.safeParse(v.to).success) out.to = v.to
  if (v.tz && isTimeZone(v.tz)) out.tz = v.tz
  if (v.segment && SegmentId.safeParse(v.segment).success) out.segment = v.segment
  return out
}

/** The view this request carries (what the user last chose), for pages that link on to others. */
export function carriedView(c: Context<DashboardEnv>): CarriedView {
  return readView(getCookie(c, COOKIE))
}

export function readView(text: string | undefined): CarriedView {
  if (!text) return {}
  const q = new URLSearchParams(text)
  return valid({ from: q.get('from') ?? undefined, to: q.get('to') ?? undefined, tz: q.get('tz') ?? undefined, segment: q.get('segment') ?? undefined })
}

/**
 * One date range and time zone across pages: a page opened with them remembers them (a cookie of
 * this path), and a page opened without any parameter is redirected to its own URL with them added, so the
 * address still says what is shown. Only GET pages, never CSV downloads or streams.
 */
export function carryView(origin: Pick<RequestOrigin, 'secure'>): MiddlewareHandler<DashboardEnv> {
  return async (c: Context<DashboardEnv>, next) => {
    const keys = c.req.method === 'GET' ? keysFor(c.req.path) : null
    if (!keys || c.req.query('csv') !== undefined) return next()
    const query = c.req.query()
    const stored = readView(getCookie(c, COOKIE))
    const given = valid(Object.fromEntries((Object.keys(keys) as (keyof CarriedView)[]).filter((k) => keys[k] && query[keys[k]!]).map((k) => [k, query[keys[k]!]])))
    const missing = (Object.keys(keys) as (keyof CarriedView)[]).filter((k) => keys[k] && !query[keys[k]!] && stored[k])
    // Only a page opened bare (from the menu, a link) takes the carried view; an address with any
    // parameter shows exactly what it says.
    if (missing.length && Object.keys(query).length === 0) {
      const add = Object.fromEntries(missing.map((k) => [keys[k]!, stored[k]!]))
      return c.redirect(urlWith(c.req.path, { ...query, ...add }), 302)
    }
    await next()
    // Choosing "Everyone" sends an empty segment: the carried one is dropped, not kept.
    const clearsSegment = keys.segment !== null && query[keys.segment] === '' && stored.segment !== undefined
    // After the page: it answers with its own Response, which a header set before would not reach.
    if (Object.keys(given).length || clearsSegment) {
      const merged = { ...stored, ...given }
      if (clearsSegment) delete merged.segment
      // A range given without its start keeps only what was given: an old `from` must not outlive a new `to`.
      if (given.to && !given.from && keys.from) delete merged.from
      if (merged.from && merged.to && merged.from > merged.to) delete merged.from
      setCookie(c, COOKIE, urlWith('', merged as Record<string, string>).slice(1), {
        path: '/app', httpOnly: true, sameSite: 'Strict', secure: origin.secure(c), maxAge: 7 * 86_400,
      })
    }
  }
}
