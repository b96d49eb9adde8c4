import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertEvents, type TestEvent } from '../accounts/__fixtures__/events.js'
import { openTestStore } from '../testing/store.js'
import { decodeCursor } from './cursor.js'
import { liveEvents, partsBeforeSql } from './live.js'

/**
 * A live view polls with the cursor of what it shows: each poll answers the events stored after it
 * (filtered by event type, person and URL), and reads only the parts written since.
 */
const ev = (event: string, user: string, path: string): TestEvent => ({ event, timestamp: '2026-01-05 10:00:00.000', user_id: user, account_id: 'acme', path })

describe('live events after a cursor', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
  const count = async (query: string, params: Record<string, unknown> = {}) =>
    Number((await (await t.store.client.query({ query, query_params: params, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n)

  beforeAll(async () => {
    t = await openTestStore()
    // Each insert stays its own part, as between two merges.
    await t.store.client.command({ query: 'SYSTEM STOP MERGES events' })
  })
  afterAll(() => t.cleanup())

  it('answers only the events stored after the cursor, filtered, reading only the parts written since', async () => {
    await insertEvents(t.store.client, 'p', [ev('$click', 'u-old', '/old'), ev('$pageview', 'u-old', '/old')])
    // More than the parts' clock slack later, so the first part is written before the cursor's.
    await sleep(3500)
    await insertEvents(t.store.client, 'p', [ev('$click', 'u1', '/a'), ev('$click', 'u2', '/b')])
    const first = await liveEvents(t.store.client, { projectId: 'p' })
    expect(first.events.map((e) => e.person).sort()).toEqual(['u-old', 'u-old', 'u1', 'u2'])
    // The newest two, found in the last minute's parts, are the newest two of the hour.
    expect((await liveEvents(t.store.client, { projectId: 'p', limit: 2 })).events).toEqual(first.events.slice(0, 2))
    expect(await liveEvents(t.store.client, { projectId: 'p', after: first.cursor })).toEqual({ events: [], cursor: first.cursor })

    await insertEvents(t.store.client, 'p', [ev('$click', 'u1', '/a/settings'), ev('$pageview', 'u1', '/a/settings'), ev('$click', 'u3', '/c')])
    const next = await liveEvents(t.store.client, { projectId: 'p', after: first.cursor })
    expect(next.events.map((e) => [e.event, e.person, e.url]).sort()).toEqual([
      ['$click', 'u1', 'https://app.example.com/a/settings'],
      ['$click', 'u3', 'https://app.example.com/c'],
      ['$pageview', 'u1', 'https://app.example.com/a/settings'],
    ])
    const filtered = await liveEvents(t.store.client, { projectId: 'p', after: first.cursor, event: '$click', person: 'u1', url: 'SETTINGS' })
    expect(filtered.events.map((e) => [e.event, e.person, e.url])).toEqual([['$click', 'u1', 'https://app.example.com/a/settings']])
    expect(await liveEvents(t.store.client, { projectId: 'p', after: next.cursor })).toEqual({ events: [], cursor: next.cursor })

    // What a poll after the first cursor reads: the cursor's part and the one after it, not the first part.
    const since = decodeCursor(first.cursor).ts
    const partsRead = async (where: string) => {
      const plan = await (await t.store.client.query({ query: `EXPLAIN indexes = 1 SELECT uuid FROM events WHERE project_id = 'p' AND ${where}`, query_params: { since }, format: 'TabSeparatedRaw' })).text()
      return Number(/Parts: (\d+) \| Granules/.exec(plan)?.[1])
    }
    expect([await partsRead(`_part NOT IN (${partsBeforeSql('{since:DateTime64(3)}')})`), await partsRead('inserted_at > {since:DateTime64(3)}')]).toEqual([2, 3])
    const rows = await count(`SELECT toString(count()) AS n FROM events WHERE project_id = 'p' AND _part NOT IN (${partsBeforeSql('{since:DateTime64(3)}')})`, { since })
    expect(rows).toBe(5)
  })

  it('refuses a cursor it did not write and filters of bad length', async () => {
    await expect(liveEvents(t.store.client, { projectId: 'p', after: "x' OR 1=1" })).rejects.toThrow('after is not a cursor returned by this API')
    await expect(liveEvents(t.store.client, { projectId: 'p', url: 'x'.repeat(501) })).rejects.toThrow('url has 1 to 500 characters')
  })
})
