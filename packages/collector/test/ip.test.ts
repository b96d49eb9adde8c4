import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, rows, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector
beforeAll(async () => {
  t = await startCollector({ config: { storeIp: true, trustProxy: true } })
})
afterAll(() => t.cleanup())

describe('client IP, when storing it is enabled', () => {
  it('stores the forwarded address truncated to its network, for the SDK and for Segment context.ip', async () => {
    const sdk = sdkEvent({ anonymous_id: 'ip-sdk' })
    await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdk]), { headers: { 'x-forwarded-for': '203.0.113.77, 10.0.0.1' } })
    const seg = { userId: 'ip-seg', event: 'E', context: { ip: '2001:db8:85a3:8d3:1319:8a2e:370:7348' }, writeKey: t.writeKey }
    expect((await post(t.collector, '/v1/track', seg, { headers: { 'x-forwarded-for': '198.51.100.4' } })).status).toBe(200)
    const got = await rows(t.collector, "SELECT anonymous_id, user_id, ip, country FROM events FINAL WHERE anonymous_id = 'ip-sdk' OR user_id = 'ip-seg' ORDER BY ip")
    // Documentation ranges: stored as networks, and no country.
    expect(got).toEqual([
      { anonymous_id: '', user_id: 'ip-seg', ip: '2001:db8:85a3::', country: '' },
      { anonymous_id: 'ip-sdk', user_id: '', ip: '203.0.113.0', country: '' },
    ])
  })

  it('stores the country of the full address beside the truncated one, for every event of the batch', async () => {
    // The RIPE NCC in Amsterdam (NL) and the University of Tokyo (JP), whose countries do not move between data releases.
    const events = [sdkEvent({ anonymous_id: 'geo-sdk', event: '$pageview' }), sdkEvent({ anonymous_id: 'geo-sdk' })]
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, events), { headers: { 'x-forwarded-for': '193.0.6.139' } })).status).toBe(200)
    const seg = { userId: 'geo-seg', event: 'E', context: { ip: '133.11.0.1' }, writeKey: t.writeKey }
    expect((await post(t.collector, '/v1/track', seg, { headers: { 'x-forwarded-for': '193.0.6.139' } })).status).toBe(200)
    // A Segment message without context.ip takes the request's address and its country.
    const bare = { userId: 'geo-seg-bare', event: 'E', writeKey: t.writeKey }
    expect((await post(t.collector, '/v1/track', bare, { headers: { 'x-forwarded-for': '133.11.0.1' } })).status).toBe(200)
    const got = await rows(t.collector, "SELECT anonymous_id, user_id, event, ip, country FROM events FINAL WHERE anonymous_id = 'geo-sdk' OR user_id IN ('geo-seg', 'geo-seg-bare') ORDER BY user_id, event")
    expect(got).toEqual([
      { anonymous_id: 'geo-sdk', user_id: '', event: '$click', ip: '193.0.6.0', country: 'NL' },
      { anonymous_id: 'geo-sdk', user_id: '', event: '$pageview', ip: '193.0.6.0', country: 'NL' },
      { anonymous_id: '', user_id: 'geo-seg', event: 'E', ip: '133.11.0.0', country: 'JP' },
      { anonymous_id: '', user_id: 'geo-seg-bare', event: 'E', ip: '133.11.0.0', country: 'JP' },
    ])
  })

  it('stores an address from a private network without a country', async () => {
    const ev = sdkEvent({ anonymous_id: 'geo-private' })
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [ev]), { headers: { 'x-forwarded-for': '192.168.7.20' } })).status).toBe(200)
    expect(await rows(t.collector, "SELECT ip, country FROM events FINAL WHERE anonymous_id = 'geo-private'")).toEqual([{ ip: '192.168.7.0', country: '' }])
  })
})
