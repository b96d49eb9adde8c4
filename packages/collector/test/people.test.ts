import { PRIVATE_TEXT, publishTexts, textKeyFor, textToken } from '@tenure/analysis'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, sdkBatch, startCollector, type TestCollector } from './helpers.js'

const DAY = 86_400_000
// A fixed time of day a few days back, so the collector's 400-day window accepts every event.
const T0 = Math.floor((Date.now() - 10 * DAY) / DAY) * DAY + 12 * 3_600_000
const at = (ms: number) => new Date(T0 + ms).toISOString()
const H = 3_600_000

interface Ev { event: string; t: number; anon: string; user?: string; account?: string; path: string; text?: string; feature?: string; props?: Record<string, unknown> }

const EVENTS: Ev[] = [
  { event: '$pageview', t: 0, anon: 'a-1', path: '/home' },
  { event: '$click', t: 1 * H, anon: 'a-1', path: '/reports', text: 'Export', feature: 'export' },
  { event: '$identify', t: 2 * H, anon: 'a-1', user: 'u-ann', path: '/reports', props: { role: 'admin' } },
  { event: '$click', t: DAY, anon: 'a-2', user: 'u-ann', account: 'acme', path: '/reports', text: 'Share', feature: 'share' },
  { event: '$nudge_shown', t: DAY + 1 * H, anon: 'a-2', user: 'u-ann', account: 'acme', path: '/reports', props: { nudge_id: 'n1' } },
  { event: '$nudge_clicked', t: DAY + 2 * H, anon: 'a-2', user: 'u-ann', account: 'acme', path: '/reports', props: { nudge_id: 'n1' } },
  { event: '$pageview', t: 3 * DAY, anon: 'a-2', user: 'u-ann', account: 'bolt', path: '/settings' },
  { event: '$pageview', t: 3 * DAY + H, anon: 'b-1', user: 'u-bob', account: 'acme', path: '/home' },
]

function sdk(e: Ev) {
  return {
    uuid: randomUUID(), event: e.event, timestamp: at(e.t), anonymous_id: e.anon, user_id: e.user, account_id: e.account,
    url: `https://app.example.com${e.path}`, feature_key: e.feature,
    elements: e.text ? [{ tag: 'button', text: e.text, nth: 0 }] : undefined, properties: e.props,
  }
}

describe('people routes', () => {
  let t: TestCollector
  let auth: Record<string, string>
  const get = async (path: string) => {
    const res = await t.collector.app.request(path, { headers: auth })
    return { status: res.status, body: (await res.json()) as any }
  }

  beforeAll(async () => {
    t = await startCollector()
    auth = { authorization: `Bearer ${t.secretKey}` }
    const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, EVENTS.map(sdk)))
    expect(res.status).toBe(200)
    await t.collector.deps.ingest.flush()
  }, 60_000)
  afterAll(() => t.cleanup())

  it('needs the secret key and a known person', async () => {
    expect((await t.collector.app.request('/v1/people/u-ann')).status).toBe(401)
    expect(await get('/v1/people/nobody')).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'no events of person nobody', field: 'id' } } })
    expect((await get('/v1/people/u-ann?tz=Mars/Base')).body.error.field).toBe('tz')
    expect((await get('/v1/people/u-ann/events?cursor=abc')).body.error).toEqual({ code: 'invalid_query', message: 'cursor is not a cursor returned by this API', field: 'cursor' })
  })

  it('profiles a person across merged anonymous ids and accounts', async () => {
    const { status, body } = await get('/v1/people/u-ann')
    expect(status).toBe(200)
    expect(body).toMatchObject({
      person: 'u-ann', timeZone: 'UTC', firstSeen: at(0), lastSeen: at(3 * DAY), events: 7,
      // $identify and nudge events are not the person's activity; days 0, 1 and 3.
      activeDays: 3,
      traits: { role: 'admin' },
      features: [
        { id: 'export', name: 'export', firstUsed: at(H), uses: 1 },
        { id: 'share', name: 'share', firstUsed: at(DAY), uses: 1 },
      ],
      nudges: [{ nudgeId: 'n1', shown: 1, firstShown: at(DAY + H), clicked: true, dismissed: false, heldOut: false, outcome: 'clicked' }],
    })
    // a-2 was merged by events carrying both ids: its events are stored under the user id.
    expect(body.identities.map((i: any) => [i.id, i.kind, i.events])).toEqual([['u-ann', 'user', 5], ['a-1', 'anonymous', 2], ['a-2', 'anonymous', 0]])
    expect(body.accounts.map((a: any) => [a.accountId, a.firstSeen, a.lastSeen, a.events, a.current])).toEqual([
      ['acme', at(DAY), at(DAY + 2 * H), 3, false],
      ['bolt', at(3 * DAY), at(3 * DAY), 1, true],
    ])
    // An anonymous id opens the same person.
    expect((await get('/v1/people/a-1')).body.person).toBe('u-ann')
  })

  it('pages the timeline newest first and filters it', async () => {
    const first = await get('/v1/people/u-ann/events?limit=3')
    expect(first.body.events.map((e: any) => [e.event, e.timestamp, e.url, e.elementText])).toEqual([
      ['$pageview', at(3 * DAY), 'https://app.example.com/settings', ''],
      ['$nudge_clicked', at(DAY + 2 * H), 'https://app.example.com/reports', ''],
      ['$nudge_shown', at(DAY + H), 'https://app.example.com/reports', ''],
    ])
    const second = await get(`/v1/people/u-ann/events?limit=3&cursor=${first.body.next_cursor}`)
    expect(second.body.events.map((e: any) => [e.event, e.timestamp, e.features])).toEqual([
      ['$click', at(DAY), ['share']], ['$identify', at(2 * H), []], ['$click', at(H), ['export']],
    ])
    const third = await get(`/v1/people/u-ann/events?limit=3&cursor=${second.body.next_cursor}`)
    expect(third.body.events.map((e: any) => e.timestamp)).toEqual([at(0)])
    expect(third.body.next_cursor).toBeNull()
    // Texts one person produced stay private (k-anonymous element text); once public they read in plain.
    expect((await get('/v1/people/u-ann/events?event=%24click')).body.events.map((e: any) => e.elementText)).toEqual([PRIVATE_TEXT, PRIVATE_TEXT])
    await publishTexts(t.collector.deps.store.client, t.collector.bootstrap!.project.id, [{ token: textToken(await textKeyFor(t.collector.deps.store.client, t.collector.bootstrap!.project.id), 'Share'), text: 'Share' }])
    expect((await get('/v1/people/u-ann/events?event=%24click')).body.events.map((e: any) => e.elementText)).toEqual(['Share', PRIVATE_TEXT])
    expect((await get('/v1/people/u-ann/events?feature=export')).body.events.map((e: any) => e.timestamp)).toEqual([at(H)])
  })

  it('finds people by part of their id', async () => {
    const { body } = await get('/v1/people?q=u-')
    expect(body.people.map((p: any) => p.id).sort()).toEqual(['u-ann', 'u-bob'])
    expect((await get('/v1/people?q=')).status).toBe(400)
    // With a segment, only its people: ann is an admin (identify), bob has no role.
    const admins = encodeURIComponent(JSON.stringify({ conditions: [{ type: 'property', property: 'person.role', op: 'eq', value: 'admin' }] }))
    expect((await get(`/v1/people?q=u-&segment_def=${admins}`)).body.people.map((p: any) => p.id)).toEqual(['u-ann'])
    const unknown = await get('/v1/people?q=u-&segment=nobody')
    expect([unknown.status, unknown.body.error.field]).toEqual([404, 'segment'])
    const badDef = await get(`/v1/people?q=u-&segment_def=${encodeURIComponent('{nope')}`)
    expect([badDef.status, badDef.body.error.field]).toEqual([400, 'segment_def'])
  })

  it('lists the newest stored events, filtered, and nothing new after the cursor', async () => {
    const all = await get("/v1/events/live?limit=500")
    expect(all.body.events).toHaveLength(EVENTS.length)
    const bob = await get('/v1/events/live?person=u-bob')
    expect(bob.body.events.map((e: any) => [e.person, e.url])).toEqual([['u-bob', 'https://app.example.com/home']])
    expect((await get('/v1/events/live?url=SETTINGS')).body.events).toHaveLength(1)
    expect((await get(`/v1/events/live?after=${all.body.cursor}`)).body.events).toEqual([])
    const later = sdk({ event: 'report_run', t: 9 * DAY, anon: 'b-1', user: 'u-bob', account: 'acme', path: '/x' })
    await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [later]))
    await t.collector.deps.ingest.flush()
    expect((await get(`/v1/events/live?after=${all.body.cursor}`)).body.events.map((e: any) => e.uuid)).toEqual([later.uuid])
  })

  it('lists the people of an account with their features', async () => {
    const { status, body } = await get('/v1/accounts/acme/profile')
    expect(status).toBe(200)
    expect(body.people.map((p: any) => [p.person, p.features, p.traits])).toEqual([
      ['u-bob', [], {}],
      ['u-ann', ['share'], {}],
    ])
    expect(body.health).toBeNull()
    expect((await get('/v1/accounts/nope/profile')).status).toBe(404)
  })
})
