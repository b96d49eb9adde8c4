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

  it('keeps people whose day 0 is the incomplete as-of day in the cohort, censored for N ≥ 1', async () => {
    // a, b, c start on 2024-04-01 (a and b back on 04-02); d starts on the as-of day, 2024-04-03, at 08:00.
    await insertFixtureEvents(t.store.client, 'p-asof', [
      ...['a', 'b', 'c'].map((user) => ({ user, at: utc('2024-04-01', 0) })),
      { user: 'a', at: utc('2024-04-01', 1) },
      { user: 'b', at: utc('2024-04-01', 1) },
      { user: 'd', at: utc('2024-04-03', 0, '08:00') },
      // A return on the as-of day does not count for a day that is not over.
      { user: 'c', at: utc('2024-04-03', 0, '09:00') },
    ])
    const r = await retentionReport(t.store.client, {
      project: 'p-asof', from: '2024-04-01', to: '2024-04-03', days: [0, 1, 2], asOf: '2024-04-03T12:00:00Z', timezone: 'UTC', mode: 'on_or_after',
    })
    expect(r.total.size).toBe(4)
    // N = 0: everyone, d included (the start happened); N = 1: a, b, c eligible, 2 back, d censored;
    // N = 2: day 2 of a, b, c is the as-of day itself: all four censored.
    expect(r.total.cells.map((c) => [c.n, c.eligible, c.censored, c.retained])).toEqual([
      [0, 4, 0, 4],
      [1, 3, 1, 2],
      [2, 0, 4, 0],
    ])
  })
})

describe('retentionReport: calendar days in the project time zone', () => {
  it('counts 23:45 → 00:01 local as day 0 → day 1, and the same instants in UTC as one day', async () => {
    const c = t.store.client
    await setProjectTimezone(c, 'tz1', 'America/New_York')
    // 2024-01-10 23:45 and 2024-01-11 00:01 in New York (UTC−5).
    await insertFixtureEvents(c, 'tz1', [
      { user: 'night-owl', at: '2024-01-11T04:45:00Z' },
      { user: 'night-owl', at: '2024-01-11T05:01:00Z' },
    ])
    const ny = await retentionReport(c, { project: 'tz1', from: '2024-01-01', to: '2024-01-31', days: [0, 1], cohort: 'day', asOf: '2024-02-01' })
    expect(ny.timezone).toBe('America/New_York')
    expect(ny.cohorts).toHaveLength(1)
    expect(ny.cohorts[0]!.cohort).toBe('2024-01-10')
    expect(ny.cohorts[0]!.cells.map((x) => x.retained)).toEqual([1, 1])

    const utcReport = await retentionReport(c, {
      project: 'tz1', from: '2024-01-01', to: '2024-01-31', days: [0, 1], cohort: 'day', asOf: '2024-02-01', timezone: 'UTC',
    })
    expect(utcReport.cohorts[0]!.cohort).toBe('2024-01-11')
    expect(utcReport.cohorts[0]!.cells.map((x) => x.retained)).toEqual([1, 0])
  })

  it('follows daylight saving changes (Europe/Berlin, 31 March and 27 October 2024)', async () => {
    const c = t.store.client
    await setProjectTimezone(c, 'tz2', 'Europe/Berlin')
    await insertFixtureEvents(c, 'tz2', [
      // Starts Saturday 30 March noon (CET, UTC+1); returns Monday 1 April 00:30 CEST (UTC+2) = 31 March 22:30 UTC.
      // A fixed start-of-period offset would put the return on 31 March 23:30, day 1.
      { user: 'spring', at: '2024-03-30T11:00:00Z' },
      { user: 'spring', at: '2024-03-31T22:30:00Z' },
      // Starts Saturday 26 October 23:30 CEST (21:30 UTC); returns Sunday 27 October 23:30 CET (22:30 UTC), a 25-hour day later.
      { user: 'autumn', at: '2024-10-26T21:30:00Z' },
      { user: 'autumn', at: '2024-10-27T22:30:00Z' },
    ])
    const r = await retentionReport(c, { project: 'tz2', from: '2024-03-01', to: '2024-10-31', days: [1, 2], cohort: 'month', asOf: '2024-12-01' })
    expect(r.cohorts.map((x) => [x.cohort, x.cells.map((y) => y.retained)])).toEqual([
      ['2024-03-01', [0, 1]],
      ['2024-10-01', [1, 0]],
    ])
  })

  it('refuses unknown time zones and bad windows with the field named', async () => {
    const c = t.store.client
    await expect(retentionReport(c, { project: 'tz1', from: '2024-01-01', to: '2024-01-02', timezone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'invalid',
      field: 'timezone',
    })
    await expect(retentionReport(c, { project: 'tz1', from: '2024-01-02', to: '2024-01-01' })).rejects.toMatchObject({ field: 'to' })
    await expect(retentionReport(c, { project: 'tz1', from: '2024-02-30', to: '2024-03-01' })).rejects.toMatchObject({ field: 'from' })
    await expect(retentionReport(c, { project: 'tz1', from: '2024-01-01', to: '2024-01-02', asOf: 'soon' })).rejects.toMatchObject({ field: 'asOf' })
    await expect(retentionReport(c, { project: 'tz1', from: '2024-01-01', to: '2024-01-02', startFeature: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
    })
  })
})

describe('retentionReport: identity, recurring starts and feature events', () => {
  it('merges anonymous events into the user after identify', async () => {
    const c = t.store.client
    await insertFixtureEvents(c, 'id1', [
      { anon: 'browser-1', at: utc('2024-05-01', 0) },
      { anon: 'browser-1', user: 'alice', at: utc('2024-05-01', 3) },
      { anon: 'browser-2', at: utc('2024-05-01', 1) },
    ])
    await insertAliases(c, 'id1', { 'browser-1': 'alice' })
    const r = await retentionReport(c, { project: 'id1', from: '2024-05-01', to: '2024-05-31', days: [0, 3], cohort: 'month', asOf: '2024-06-01' })
    // alice (merged, starts 1 May, back on day 3) and the never-identified browser-2.
    expect(r.total.size).toBe(2)
    expect(r.total.cells.map((x) => x.retained)).toEqual([2, 1])
  })

  it('counts every start day with recurring starts', async () => {
    const c = t.store.client
    await insertFixtureEvents(c, 'rec', [0, 1, 3].map((d) => ({ user: 'bob', at: utc('2024-05-01', d) })))
    const first = await retentionReport(c, { project: 'rec', from: '2024-05-01', to: '2024-05-04', days: [1, 2], asOf: '2024-06-01' })
    expect(first.total).toMatchObject({ size: 1 })
    expect(first.total.cells.map((x) => x.retained)).toEqual([1, 0])
    const rec = await retentionReport(c, {
      project: 'rec', from: '2024-05-01', to: '2024-05-04', days: [1, 2], asOf: '2024-06-01', start: 'recurring', cohort: 'day',
    })
    expect(rec.total.size).toBe(3)
    // Starts on days 0, 1, 3: day 1 after → days 1, 2, 4 (one return); day 2 after → days 2, 3, 5 (one return).
    expect(rec.total.cells.map((x) => [x.eligible, x.retained])).toEqual([
      [3, 1],
      [3, 1],
    ])
    expect(rec.cohorts.map((x) => x.cohort)).toEqual(['2024-05-01', '2024-05-02', '2024-05-04'])
  })

  it('uses a feature as start and return event', async () => {
    const c = t.store.client
    const { createFeature } = await import('../features/store.js')
    await createFeature(c, 'feat', { id: 'export', name: 'Export', rules: [{ type: 'feature_key', key: 'export' }] })
    await insertFixtureEvents(c, 'feat', [
      { user: 'a', at: utc('2024-05-01', 0) },
      { user: 'a', at: utc('2024-05-01', 2), featureKey: 'export', elements: [{ tag: 'button' }] },
      { user: 'a', at: utc('2024-05-01', 3) },
      { user: 'a', at: utc('2024-05-01', 4), featureKey: 'export', elements: [{ tag: 'button' }] },
    ])
    const base = { project: 'feat', from: '2024-05-01', to: '2024-05-31', days: [1, 2], asOf: '2024-06-01' } as const
    const product = await retentionReport(c, base)
    expect(product.total.cells.map((x) => x.retained)).toEqual([0, 1])
    const feature = await retentionReport(c, { ...base, startFeature: 'export', returnFeature: 'export' })
    expect(feature.startFeature).toBe('export')
    expect(feature.cohorts[0]!.cohort).toBe('2024-04-29')
    expect(feature.total.cells.map((x) => x.retained)).toEqual([0, 1])
    const featureThenAny = await retentionReport(c, { ...base, startFeature: 'export' })
    expect(featureThenAny.total.cells.map((x) => x.retained)).toEqual([1, 1])
  })
})
