import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { retentionReport } from './day-n.js'
import { insertAliases, insertFixtureEvents, setProjectTimezone, utc, type FixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>
beforeAll(async () => {
  t = await openTestStore()
})
afterAll(async () => {
  await t?.cleanup()
})

describe('retentionReport', () => {
  it('gives the spec worked check: 10 start, 8 reach day 7, 3 return on day 7 → 3/8, 2 censored', async () => {
    const events: FixtureEvent[] = []
    // Users 0–7 start on 2024-03-01, users 8–9 on 2024-03-05; as of 2024-03-09 only the first eight have a complete day 7.
    for (let u = 0; u < 10; u++) events.push({ user: `u${u}`, at: utc('2024-03-01', u < 8 ? 0 : 4) })
    for (const u of [0, 1, 2]) events.push({ user: `u${u}`, at: utc('2024-03-01', 7, '23:59') })
    events.push({ user: 'u3', at: utc('2024-03-01', 6) }, { user: 'u4', at: utc('2024-03-01', 8) })
    // Page leave does not make a user active.
    events.push({ user: 'u5', event: '$pageleave', at: utc('2024-03-01', 7) })
    await insertFixtureEvents(t.store.client, 'p1', events)
    const r = await retentionReport(t.store.client, { project: 'p1', from: '2024-03-01', to: '2024-03-07', days: [7], asOf: '2024-03-09' })
    expect(r.total.size).toBe(10)
    expect(r.total.cells[0]).toMatchObject({ n: 7, eligible: 8, censored: 2, retained: 3, rate: 3 / 8 })
    expect(r.cohorts.map((c) => c.cohort)).toEqual(['2024-02-26', '2024-03-04'])

    // On or after day 7: u4's day-8 event counts once its day is complete.
    const after = (asOf: string) =>
      retentionReport(t.store.client, { project: 'p1', from: '2024-03-01', to: '2024-03-07', days: [7], asOf, mode: 'on_or_after' })
    expect((await after('2024-03-09')).total.cells[0]).toMatchObject({ eligible: 8, retained: 3 })
    expect((await after('2024-03-10')).total.cells[0]).toMatchObject({ eligible: 8, retained: 4 })
  })
})
