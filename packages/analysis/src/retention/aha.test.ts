import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '../features/store.js'
import { openTestStore } from '../testing/store.js'
import { ahaReport } from './aha.js'
import { insertAliases, insertFixtureEvents, utc, type FixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>

const connect = (who: { user?: string; anon?: string }, day: number, uuid?: string): FixtureEvent => ({
  ...who,
  at: utc('2024-02-01', day, '15:00'),
  event: 'connection_made',
  ...(uuid ? { uuid } : {}),
})

/** Buckets by uses of "connect" in days 0–6: (uses, users, retained on day 7). */
const plan: [number, number, number][] = [
  [0, 40, 8],
  [1, 40, 10],
  [2, 40, 16],
  [3, 40, 30],
  [4, 40, 31],
  [6, 40, 30],
]

beforeAll(async () => {
  t = await openTestStore()
  const c = t.store.client
  await createFeature(c, 'aha', { id: 'connect', name: 'Connect', rules: [{ type: 'event', name: 'connection_made' }] })
  const ev: FixtureEvent[] = []
  for (const [uses, users, retained] of plan) {
    for (let i = 0; i < users; i++) {
      const user = `u${uses}-${i}`
      ev.push({ user, at: utc('2024-02-01', 0, '09:00') })
      // Uses spread over days 0–6; one more on day 8 never counts.
      // u1-0's one use is written below as a retried insert.
      if (user !== 'u1-0') for (let k = 0; k < uses; k++) ev.push(connect({ user }, k % 7))
      ev.push(connect({ user }, 8))
      if (i < retained) ev.push({ user, at: utc('2024-02-01', 7) })
    }
  }
  // A user whose first use was anonymous, before identify: two uses in total.
  ev.push({ anon: 'anon-x', at: utc('2024-02-01', 0, '08:00') }, connect({ anon: 'anon-x' }, 0), connect({ anon: 'anon-x', user: 'ux' }, 1))
  // Censored: day 7 not complete by the as-of day.
  for (let i = 0; i < 3; i++) ev.push({ user: `late${i}`, at: utc('2024-02-20', 0) })
  await insertFixtureEvents(c, 'aha', ev)
  // A retried insert (the same batch sent again, as after a lost response) counts once: the store
  // drops a repeated block before the activity rollup sees it.
  const retried = [connect({ user: 'u1-0' }, 0, '00000000-0000-4000-8000-000000000001')]
  await insertFixtureEvents(c, 'aha', retried)
  await insertFixtureEvents(c, 'aha', retried)
  await insertAliases(c, 'aha', { 'anon-x': 'ux' })
})
afterAll(async () => {
  await t?.cleanup()
})

describe('ahaReport', () => {
  it('buckets new users by first-week uses and finds where retention stops rising', async () => {
    const r = await ahaReport(t.store.client, { project: 'aha', feature: 'connect', from: '2024-02-01', to: '2024-02-29', n: 7, maxUses: 5, asOf: '2024-02-25' })
    expect(r.censored).toBe(3)
    expect(r.buckets.map((b) => [b.uses, b.orMore, b.users, b.retained])).toEqual([
      [0, false, 40, 8],
      // u1-0's retried copy counts once; ux (merged after identify) has two uses.
      [1, false, 40, 10],
      [2, false, 41, 16],
      [3, false, 40, 30],
      [4, false, 40, 31],
      [5, true, 40, 30],
    ])
    expect(r.buckets[3]!.retention).toMatchObject({ k: 30, n: 40, rate: 0.75 })
    expect(r.threshold).toBe(3)
  })
})
