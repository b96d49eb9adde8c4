import { openTestStore } from '@tenure/analysis/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsReceivedUntil } from './stored-until.js'

describe('eventsReceivedUntil', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  beforeAll(async () => {
    t = await openTestStore()
  })
  afterAll(() => t.cleanup())

  it('is 0 on a store without events, and after the last write once events are stored', async () => {
    expect(await eventsReceivedUntil(t.store)).toBe(0)
    const before = Date.now()
    await t.store.insertBytes({
      table: 'events', columns: ['project_id', 'uuid', 'event', 'timestamp', 'client_timestamp', 'received_at', 'anonymous_id'], format: 'JSONCompactEachRow',
      bytes: Buffer.from('["p","0190f5f4-8a4e-7c3b-9d2a-000000000001","$click","2026-01-05 10:00:00.000","2026-01-05 10:00:00.000","2026-01-05 10:00:00.000","a1"]\n'),
    })
    const after = Date.now()
    const until = await eventsReceivedUntil(t.store)
    // Past the part's write, which falls between `before` and `after`: the insert's answer may
    // come in the next second, so `after` itself can be later than the write's whole second + 1.
    expect(before).toBeLessThan(until!)
    expect(until).toBeLessThanOrEqual(Math.ceil(after / 1000) * 1000 + 1000)
  })

  it('is unknown for a server, whose clock is not this process\'s, and on a cluster', async () => {
    expect(await eventsReceivedUntil({ ...t.store, config: { kind: 'server', url: 'http://127.0.0.1:1', database: 'default' } })).toBeNull()
    expect(await eventsReceivedUntil({ ...t.store, cluster: 'c' })).toBeNull()
  })
})
