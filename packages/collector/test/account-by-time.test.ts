import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityParams, ACTIVITY_SQL } from '../../analysis/src/accounts/activity.sql.js'
import { post, rows, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

// Issue 12, item 4: anonymous events before identify count for the account of the person's latest
// group by event time, whatever order their batches arrive in.
let t: TestCollector
beforeAll(async () => {
  t = await startCollector({ config: { rateLimit: { eventsPerSecond: 1e9, burst: 1e9 } } })
})
afterAll(() => t.cleanup())

const DAY = 86_400_000
const base = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 10 * DAY
const at = (day: number, hour = 10) => new Date(base + day * DAY + hour * 3600_000).toISOString()
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Day 1 anonymous; day 2 identify and group A; day 3 group B; day 4 group A again. */
function batches(): Record<number, Record<string, unknown>[]> {
  return {
    1: [sdkEvent({ anonymous_id: 'v1', timestamp: at(1) }), sdkEvent({ anonymous_id: 'v1', event: '$pageview', timestamp: at(1, 11) })],
    2: [sdkEvent({ anonymous_id: 'v1', user_id: 'u1', event: '$identify', timestamp: at(2) }), sdkEvent({ anonymous_id: 'v1', user_id: 'u1', account_id: 'acct-a', event: '$group', timestamp: at(2, 11) })],
    3: [sdkEvent({ anonymous_id: 'v1', user_id: 'u1', account_id: 'acct-b', event: '$group', timestamp: at(3) }), sdkEvent({ anonymous_id: 'v1', user_id: 'u1', account_id: 'acct-b', timestamp: at(3, 11) })],
    4: [sdkEvent({ anonymous_id: 'v1', user_id: 'u1', account_id: 'acct-a', event: '$group', timestamp: at(4) }), sdkEvent({ anonymous_id: 'v1', user_id: 'u1', account_id: 'acct-a', timestamp: at(4, 11) })],
  }
}

async function deliver(writeKey: string, order: number[]): Promise<void> {
  const b = batches()
  for (const d of order) expect((await post(t.collector, '/v1/batch', sdkBatch(writeKey, b[d]!))).status).toBe(200)
}

describe('account by event time', () => {
  it('gives the same reports for out-of-order delivery as for in-order delivery', async () => {
    const inOrder = await t.collector.deps.projects.create({ name: 'in order' })
    const late = await t.collector.deps.projects.create({ name: 'out of order' })
    await deliver(inOrder.writeKey, [1, 2, 3, 4])
    await deliver(late.writeKey, [3, 2, 4, 1])
    // The membership every reader resolves (argMax by updated_at, the event time).
    const membership = await rows<{ project_id: string; account: string }>(
      t.collector,
      `SELECT project_id, argMax(account_id, updated_at) AS account FROM user_accounts WHERE user_id = 'u1' AND project_id IN {p:Array(String)} GROUP BY project_id`,
      { p: [inOrder.project.id, late.project.id] },
    )
    expect(Object.fromEntries(membership.map((r) => [r.project_id, r.account]))).toEqual({ [inOrder.project.id]: 'acct-a', [late.project.id]: 'acct-a' })
    // What account reports read: activity per account and day (accounts/activity.sql.ts), anonymous day 1 included.
    const perAccount = (project: string) =>
      rows<{ account: string; day: string; n: number }>(
        t.collector,
        `SELECT account, toString(day) AS day, count() AS n FROM (${ACTIVITY_SQL}) GROUP BY account, day ORDER BY day, account`,
        activityParams(project, iso(base), iso(base + 7 * DAY)),
      )
    const a = await perAccount(inOrder.project.id)
    const b = await perAccount(late.project.id)
    expect(a.find((r) => r.day === iso(base + DAY))).toMatchObject({ account: 'acct-a', n: 2 })
    expect(b).toEqual(a)
  })
})
