import { Analytics } from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, rows, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector
let url: string
beforeAll(async () => {
  t = await startCollector()
  url = (await t.collector.listen(0)).url
})
afterAll(() => t.cleanup())

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

describe('Segment-compatible API', () => {
  it('stores what the real @segment/analytics-node client sends', async () => {
    const analytics = new Analytics({ writeKey: t.writeKey, host: url, flushAt: 50, flushInterval: 100, maxRetries: 1 })
    const errors: unknown[] = []
    analytics.on('error', (e) => errors.push(e))
    const ts = new Date(Date.now() - 60_000)
    analytics.identify({ userId: 'seg-user', anonymousId: 'seg-anon', traits: { email_domain: 'acme.com' }, timestamp: ts })
    analytics.group({ userId: 'seg-user', groupId: 'seg-acme', traits: { plan: 'enterprise' }, timestamp: ts })
    analytics.track({ userId: 'seg-user', event: 'Report Exported', properties: { format: 'csv' }, context: { groupId: 'seg-acme' }, timestamp: ts })
    analytics.page({ userId: 'seg-user', name: 'Pricing', properties: { url: 'https://example.com/pricing?x=1' }, timestamp: ts })
    analytics.screen({ anonymousId: 'seg-anon', name: 'Home', timestamp: ts })
    analytics.alias({ userId: 'seg-user', previousId: 'old-anon', timestamp: ts })
    await analytics.closeAndFlush({ timeout: 10_000 })
    expect(errors).toEqual([])

    const got = await rows<Record<string, string>>(
      t.collector,
      "SELECT event, anonymous_id, user_id, account_id, url, path, lib, properties, toUnixTimestamp64Milli(timestamp) AS ts FROM events FINAL WHERE user_id = 'seg-user' OR anonymous_id = 'seg-anon' ORDER BY event, anonymous_id",
    )
    expect(got.map((r) => [r.event, r.anonymous_id, r.user_id, r.account_id])).toEqual([
      ['$group', '', 'seg-user', 'seg-acme'],
      ['$identify', 'old-anon', 'seg-user', ''],
      ['$identify', 'seg-anon', 'seg-user', ''],
      ['$pageview', '', 'seg-user', ''],
      ['$screen', 'seg-anon', '', ''],
      ['Report Exported', '', 'seg-user', 'seg-acme'],
    ])
    for (const r of got) {
      expect(r.lib).toMatch(/^@segment\/analytics-node/)
      expect(Math.abs(Number(r.ts) - ts.getTime())).toBeLessThan(2_000)
    }
    const page = got.find((r) => r.event === '$pageview')!
    expect([page.url, page.path, JSON.parse(page.properties!).name]).toEqual(['https://example.com/pricing?x=1', '/pricing', 'Pricing'])
    expect(JSON.parse(got.find((r) => r.event === 'Report Exported')!.properties!)).toEqual({ format: 'csv' })

    const aliases = await rows(t.collector, "SELECT anonymous_id, user_id FROM person_aliases FINAL WHERE user_id = 'seg-user' ORDER BY anonymous_id")
    expect(aliases).toEqual([{ anonymous_id: 'old-anon', user_id: 'seg-user' }, { anonymous_id: 'seg-anon', user_id: 'seg-user' }])
    const accounts = await rows(t.collector, "SELECT user_id, account_id FROM user_accounts FINAL WHERE user_id = 'seg-user'")
    expect(accounts).toEqual([{ user_id: 'seg-user', account_id: 'seg-acme' }])
  })

  it('takes single messages on /v1/track with the write key in Basic auth or in the body', async () => {
    const msg = { userId: 'single', event: 'Signed Up', messageId: 'msg-1', timestamp: new Date().toISOString() }
    const a = await post(t.collector, '/v1/track', msg, { headers: { authorization: basic(t.writeKey) } })
    expect(a.status).toBe(200)
    const b = await post(t.collector, '/v1/track', { ...msg, messageId: 'msg-2', writeKey: t.writeKey })
    expect(b.status).toBe(200)
    // The same messageId again is a retry: it counts once.
    const again = await post(t.collector, '/v1/track', msg, { headers: { authorization: basic(t.writeKey) } })
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 })
    const [r] = await rows<{ n: string }>(t.collector, "SELECT count() AS n FROM events FINAL WHERE user_id = 'single'")
    expect(Number(r!.n)).toBe(2)
  })

  it('answers 4xx with the error shape for bad Segment input', async () => {
    const bad = await post(t.collector, '/v1/track', { userId: 'x' }, { headers: { authorization: basic(t.writeKey) } })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_event', field: 'event' }, rejected: [{ index: 0, field: 'event' }] })
    const noUser = await post(t.collector, '/v1/batch', { batch: [{ type: 'track', event: 'E' }] }, { headers: { authorization: basic(t.writeKey) } })
    expect(noUser.status).toBe(400)
    expect(await noUser.json()).toMatchObject({ error: { code: 'invalid_event', field: 'userId' } })
    const wrongKey = await post(t.collector, '/v1/batch', { batch: [{ type: 'track', event: 'E', userId: 'u' }] }, { headers: { authorization: basic('wk_nope') } })
    expect(wrongKey.status).toBe(401)
    expect(await wrongKey.json()).toEqual({ error: { code: 'invalid_write_key', message: 'unknown write key', field: 'write_key' } })
    const partial = await post(
      t.collector,
      '/v1/batch',
      { batch: [{ type: 'track', event: 'Good', userId: 'partial-seg' }, { type: 'bogus', userId: 'u' }] },
      { headers: { authorization: basic(t.writeKey) } },
    )
    expect(partial.status).toBe(200)
    expect(await partial.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, field: 'type', code: 'invalid_event' }] })
  })
})
