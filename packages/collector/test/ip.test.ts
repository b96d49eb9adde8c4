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
    const got = await rows(t.collector, "SELECT anonymous_id, user_id, ip FROM events FINAL WHERE anonymous_id = 'ip-sdk' OR user_id = 'ip-seg' ORDER BY ip")
    expect(got).toEqual([
      { anonymous_id: '', user_id: 'ip-seg', ip: '2001:db8:85a3::' },
      { anonymous_id: 'ip-sdk', user_id: '', ip: '203.0.113.0' },
    ])
  })
})
