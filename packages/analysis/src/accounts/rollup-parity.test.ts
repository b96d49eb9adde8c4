import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '../features/store.js'
import { openTestStore } from '../testing/store.js'
import { tokeniseFixtureRows } from '../testing/text.js'
import { rawFeatureConditions, rawIntent, rawSeatSharingInputs, rawUsage } from './__fixtures__/raw-reference.js'
import { insertIdentities } from './__fixtures__/events.js'
import { addDays, type IsoDate } from './dates.js'
import { featuresToMeasure } from './defined-features.js'
import { rollupParams } from './rollup.sql.js'
import { devicesSql, PERSON_ACTIVITY_SQL, sessionsSql, type SpanSource } from './seat-sharing.sql.js'
import { sessionOverlaps } from './session-overlaps.js'
import { sessionSpan, type SessionRow } from './seat-sharing.js'
import { DEFAULT_INTENT, measureIntent } from './temperature.js'
import { TEMPERATURE_PERSON_DAYS_SQL, TEMPERATURE_SQL } from './temperature.sql.js'
import { measureUsage, type UsageWindow } from './usage.js'

/**
 * The account reports on the activity rollup give what they gave on raw events (`events FINAL`,
 * see __fixtures__/raw-reference.ts), on a world with everything that makes resolution hard:
 * anonymous events merged into users later, events without an account, people never identified,
 * non-activity events, element chains matched by selector and text, paths, custom events, and one
 * login on two devices at once.
 */
function prng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const START: IsoDate = '2025-01-01'
const DAYS = 75
const PATHS = ['/app', '/app/reports', '/help/billing', '/docs/api', '/pricing', '/billing/plans', '/settings']
const CHAINS = [
  [{ tag: 'button', id: 'export', classes: ['btn', 'primary'], attrs: { 'data-feature': 'export' }, text: 'Export CSV', nth: 1 }, { tag: 'div', id: '', classes: ['toolbar'], attrs: {}, text: '', nth: 1 }],
  [{ tag: 'a', id: '', classes: ['nav'], attrs: { href: '/pricing' }, text: 'Upgrade now', nth: 2 }, { tag: 'nav', id: 'top', classes: [], attrs: {}, text: '', nth: 1 }],
  [{ tag: 'button', id: '', classes: ['btn'], attrs: { 'aria-label': 'Share report' }, text: 'Share', nth: 3 }, { tag: 'section', id: 'reports', classes: ['panel'], attrs: {}, text: '', nth: 1 }],
  [{ tag: 'span', id: '', classes: ['icon'], attrs: {}, text: 'Add seats', nth: 1 }, { tag: 'button', id: 'seats', classes: ['btn'], attrs: {}, text: '', nth: 1 }],
]
const DEVICES = [{ browser: 'Chrome', os: 'Mac OS', device_type: 'desktop' }, { browser: 'Mobile Safari', os: 'iOS', device_type: 'mobile' }]

type Row = Record<string, unknown>

function world(seed: number): { rows: Row[]; aliases: { anonymous_id: string; user_id: string }[]; memberships: { user_id: string; account_id: string }[]; accounts: string[] } {
  const rnd = prng(seed)
  const rows: Row[] = []
  const aliases: { anonymous_id: string; user_id: string }[] = []
  const memberships: { user_id: string; account_id: string }[] = []
  const accounts = Array.from({ length: 14 }, (_, i) => `acct-${i}`)
  let n = 0
  const uuid = () => {
    const h = createHash('sha1').update(`${seed}:${n++}`).digest('hex')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
  }
  const push = (e: Row) => {
    const ts = e.timestamp as string
    rows.push({
      project_id: 'p', uuid: uuid(), client_timestamp: ts, received_at: ts, anonymous_id: '', user_id: '', account_id: '', session_id: '', url: '', path: '',
      feature_key: '', element_text: '', elements: [], properties: '{}', ...DEVICES[0], ...e,
    })
  }
  for (const account of accounts) {
    const users = Array.from({ length: 2 + Math.floor(rnd() * 5) }, (_, u) => `${account}-u${u}`)
    for (const user of users) {
      const anon = `anon-${user}`
      // Half the people are identified only after a few anonymous days; some are grouped without group() on later events.
      const identifiedFrom = rnd() < 0.5 ? Math.floor(rnd() * 20) : 0
      const groupedOnEvents = rnd() < 0.7
      if (identifiedFrom > 0) aliases.push({ anonymous_id: anon, user_id: user })
      memberships.push({ user_id: user, account_id: account })
      const shares = rnd() < 0.15
      for (let d = 0; d < DAYS; d++) {
        if (rnd() > 0.35) continue
        const day = addDays(START, d)
        const identified = d >= identifiedFrom
        const base = identified
          ? { user_id: user, anonymous_id: anon, account_id: groupedOnEvents ? account : '' }
          : { anonymous_id: anon }
        const events = 1 + Math.floor(rnd() * 9)
        for (let k = 0; k < events; k++) {
          const minute = Math.floor(rnd() * 24 * 60)
          const device = shares && k % 2 === 1 ? 1 : 0
          const ts = `${day} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}.${String(Math.floor(rnd() * 1000)).padStart(3, '0')}`
          const session = shares ? `${user}-${day}-${device}` : rnd() < 0.1 ? '' : `${user}-${day}`
          const kind = rnd()
          const common = { ...base, timestamp: ts, session_id: session, ...DEVICES[device] }
          if (kind < 0.35) {
            const path = PATHS[Math.floor(rnd() * PATHS.length)]!
            push({ ...common, event: '$pageview', path, url: `https://app.example.com${path}` })
          } else if (kind < 0.7) {
            const chain = CHAINS[Math.floor(rnd() * CHAINS.length)]!
            const key = (chain[0]!.attrs as Record<string, string>)['data-feature'] ?? (rnd() < 0.3 ? 'legacy-key' : '')
            push({ ...common, event: rnd() < 0.9 ? '$click' : '$submit', path: '/app', elements: chain, element_text: chain[0]!.text, feature_key: key })
          } else if (kind < 0.8) {
            push({ ...common, event: ['support_contact', 'upgrade_clicked', 'search_performed'][Math.floor(rnd() * 3)]!, path: '/app' })
          } else {
            push({ ...common, event: ['$pageleave', '$identify', '$nudge_shown', '$group'][Math.floor(rnd() * 4)]!, path: '/app' })
          }
        }
      }
    }
  }
  // Someone never identified, and events of a user of no account.
  for (let d = 0; d < 10; d++) push({ event: '$pageview', timestamp: `${addDays(START, d)} 10:00:00.000`, anonymous_id: 'stranger', path: '/app' })
  for (let d = 0; d < 10; d++) push({ event: '$click', timestamp: `${addDays(START, d)} 11:00:00.000`, user_id: 'loner', anonymous_id: 'anon-loner', path: '/app', feature_key: 'export' })
  return { rows, aliases, memberships, accounts }
}

const byId = <T extends { id: string }>(m: Map<string, T>) => Object.fromEntries([...m].map(([k, v]) => [k, { ...v, features: Object.fromEntries((v as unknown as { features: Map<string, unknown> }).features) }]))

describe('account reports on the activity rollup match the raw-event reports', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  const w = world(11)
  const windows: UsageWindow[] = []
  beforeAll(async () => {
    t = await openTestStore()
    const client = t.store.client
    // Project p has feature definitions; project q is the same world with raw feature keys only.
    for (const project of ['p', 'q']) {
      const rows = await tokeniseFixtureRows(client, project, w.rows.map((r) => ({ ...r, project_id: project })) as (Row & { element_text?: string; elements?: { text: string }[] })[])
      for (let i = 0; i < rows.length; i += 5000) await client.insert({ table: 'events', values: rows.slice(i, i + 5000), format: 'JSONEachRow' })
      await insertIdentities(client, project, w.aliases, w.memberships)
    }
    await createFeature(client, 'p', { id: 'exporting', name: 'Exporting', rules: [{ type: 'element', selector: 'button#export' }] })
    await createFeature(client, 'p', { id: 'upgrading', name: 'Upgrading', rules: [{ type: 'element', selector: 'nav a.nav', text: 'upgrade', textMatch: 'contains' }, { type: 'event', name: 'upgrade_clicked' }] })
    await createFeature(client, 'p', { id: 'sharing', name: 'Sharing', rules: [{ type: 'element', selector: '[aria-label="Share report"]' }] })
    await createFeature(client, 'p', { id: 'seats', name: 'Seats', rules: [{ type: 'element', selector: 'button#seats span', text: 'Add seats' }] })
    await createFeature(client, 'p', { id: 'docs', name: 'Docs', rules: [{ type: 'url', pattern: '/docs/*' }, { type: 'feature_key', key: 'legacy-key' }] })
    for (const account of [...w.accounts, 'nobody']) {
      windows.push({ id: `${account}:all`, accountId: account, from: START, to: addDays(START, DAYS) })
      for (let d = 0; d + 30 <= DAYS; d += 15) windows.push({ id: `${account}:${d}`, accountId: account, from: addDays(START, d), to: addDays(START, d + 30) })
    }
  }, 240_000)
  afterAll(() => t.cleanup())

  it('measures the same usage in every window, with feature definitions and with raw feature keys', async () => {
    const client = t.store.client
    const defined = await featuresToMeasure(client, 'p')
    expect(defined.source).toBe('definitions')
    const got = await measureUsage(client, 'p', windows, { features: defined.conditions })
    const want = await rawUsage(client, 'p', windows, { features: await rawFeatureConditions(client, 'p') })
    expect(byId(got)).toEqual(byId(want))
    // Every feature shows up somewhere: the comparison is not between empty maps.
    const used = new Set([...got.values()].flatMap((u) => [...u.features.keys()]))
    expect([...used].sort()).toEqual(['docs', 'exporting', 'seats', 'sharing', 'upgrading'])

    const gotKeys = await measureUsage(client, 'q', windows)
    const wantKeys = await rawUsage(client, 'q', windows)
    expect(byId(gotKeys)).toEqual(byId(wantKeys))
    expect(gotKeys.get('acct-0:all')!.features.size).toBeGreaterThan(0)
    expect(gotKeys.get('acct-0:all')!.helpViews).toBeGreaterThan(0)
  })

  it('reads the same purchase intent', async () => {
    const client = t.store.client
    for (const [from, to] of [[START, addDays(START, DAYS)], [addDays(START, 20), addDays(START, 50)]] as [IsoDate, IsoDate][]) {
      const seats = new Map(w.accounts.map((a) => [a, 5]))
      const got = await measureIntent(client, 'p', from, to, seats)
      const want = await rawIntent(client, 'p', from, to)
      for (const a of w.accounts) {
        const g = got.get(a)!
        expect({ activeUsers: g.activeUsers, pricingViews: g.pricingViews, upgradeClicks: g.upgradeClicks, paidFeatureUsers: g.paidFeatureUsers })
          .toEqual(want.get(a) ?? { activeUsers: 0, pricingViews: 0, upgradeClicks: 0, paidFeatureUsers: 0 })
      }
      expect([...got.values()].some((s) => s.upgradeClicks > 0 && s.pricingViews > 0)).toBe(true)
      // Asked about some accounts only (a report's paying ones), each reads as when all are asked about.
      const some = new Map([...seats].filter((_, i) => i % 2 === 0))
      expect([...(await measureIntent(client, 'p', from, to, some))]).toEqual([...got].filter(([a]) => some.has(a)))
      const paid = await measureIntent(client, 'p', from, to, seats, { ...DEFAULT_INTENT, paidFeatures: ['export'] })
      const paidWant = await rawIntent(client, 'p', from, to, { ...DEFAULT_INTENT, paidFeatures: ['export'] })
      for (const a of w.accounts) expect(paid.get(a)!.paidFeatureUsers).toBe(paidWant.get(a)?.paidFeatureUsers ?? 0)
      // A click that is an upgrade by its text and by its feature key counts once, from the rollup and from the person-days.
      const both = { ...DEFAULT_INTENT, upgradeTexts: [...DEFAULT_INTENT.upgradeTexts, 'export'], upgradeFeatures: ['export'] }
      const bothWant = await rawIntent(client, 'p', from, to, both)
      const bothGot = await measureIntent(client, 'p', from, to, seats, both)
      for (const a of w.accounts) expect(bothGot.get(a)!.upgradeClicks).toBe(bothWant.get(a)?.upgradeClicks ?? 0)
      expect([...bothGot.values()].some((s, i) => s.upgradeClicks > [...got.values()][i]!.upgradeClicks)).toBe(true)
      const params = {
        ...rollupParams('p', from, to), accounts: w.accounts, pricing_paths: both.pricingPaths, upgrade_texts: both.upgradeTexts,
        upgrade_events: both.upgradeEvents, upgrade_features: both.upgradeFeatures, paid_features: ['export'],
      }
      const read = async (query: string) => (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<Row>()
      const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort()
      expect(sorted(await read(TEMPERATURE_PERSON_DAYS_SQL))).toEqual(sorted(await read(TEMPERATURE_SQL)))
    }
  })

  // Spans and devices read from the spans kept at ingest, and from the events (before their backfill).
  it.each(['spans', 'events'] as SpanSource[])('finds the same overlapping sessions, active days, hours and devices for seat sharing (%s)', async (source) => {
    const client = t.store.client
    const from = addDays(START, 10)
    const to = addDays(START, 60)
    const params = rollupParams('p', from, to)
    const want = await rawSeatSharingInputs(client, 'p', from, to)
    const sessions = await (await client.query({ query: sessionsSql(source), query_params: params, format: 'JSONCompactEachRow' })).json<SessionRow>()
    // Start and end texts are written from the epoch milliseconds: they must read as the raw events print them.
    const overlaps = sessionOverlaps(sessions.map(sessionSpan), 300).map((o) => ({
      account: o.account, user_id: o.userId, day: o.day, session_a: o.a.session, device_a: o.a.device, start_a: o.a.start, end_a: o.a.end,
      session_b: o.b.session, device_b: o.b.device, start_b: o.b.start, end_b: o.b.end, overlap_seconds: String(o.overlapSeconds),
    }))
    expect(overlaps).toEqual(want.overlaps.map((r) => ({ ...r, overlap_seconds: String(r.overlap_seconds) })))
    expect(overlaps.length).toBeGreaterThan(0)
    const people = await (await client.query({ query: `${PERSON_ACTIVITY_SQL} ORDER BY account, person`, query_params: params, format: 'JSONEachRow' })).json<Record<string, string>>()
    expect(people).toEqual(want.people.map(({ devices: _, ...rest }) => rest))
    const devices = await (await client.query({
      query: devicesSql(source),
      query_params: { ...params, people: want.people.map((r) => r.person!), pair_accounts: want.people.map((r) => r.account!), pair_people: want.people.map((r) => r.person!) },
      format: 'JSONEachRow',
    })).json<Record<string, string>>()
    const deviceOf = new Map(devices.map((r) => [`${r.account}/${r.person}`, r.devices]))
    for (const r of want.people) expect([r.account, r.person, deviceOf.get(`${r.account}/${r.person}`)]).toEqual([r.account, r.person, r.devices])
    expect(want.people.some((r) => Number(r.devices) > 1)).toBe(true)
  })
})
