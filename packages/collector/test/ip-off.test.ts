import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, rows, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector
beforeAll(async () => {
  // Behind a trusted proxy, so the client's address is known; storing it stays off (the default).
  t = await startCollector({ config: { trustProxy: true } })
})
afterAll(() => t.cleanup())

describe('client IP, when storing it is off', () => {
  it('stores neither the address nor its country, for the SDK and for Segment context.ip', async () => {
    const sdk = sdkEvent({ anonymous_id: 'no-ip-sdk', event: '$pageview' })
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdk]), { headers: { 'x-forwarded-for': '193.0.6.139' } })).status).toBe(200)
    const seg = { userId: 'no-ip-seg', event: 'E', context: { ip: '133.11.0.1' }, writeKey: t.writeKey }
    expect((await post(t.collector, '/v1/track', seg, { headers: { 'x-forwarded-for': '193.0.6.139' } })).status).toBe(200)
    const got = await rows(t.collector, "SELECT anonymous_id, user_id, ip, country FROM events FINAL WHERE anonymous_id = 'no-ip-sdk' OR user_id = 'no-ip-seg' ORDER BY user_id")
    expect(got).toEqual([
      { anonymous_id: 'no-ip-sdk', user_id: '', ip: '', country: '' },
      { anonymous_id: '', user_id: 'no-ip-seg', ip: '', country: '' },
    ])
  })
})
