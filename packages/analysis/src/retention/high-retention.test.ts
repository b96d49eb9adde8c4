import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '../features/store.js'
import { benjaminiHochberg } from '../stats/bh.js'
import { compareProportions } from '../stats/compare.js'
import { openTestStore } from '../testing/store.js'
import { highRetentionReport } from './high-retention.js'
import { insertFixtureEvents, utc, type FixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>

/**
 * 165 new users starting 2024-01-01 (as of 2024-01-17, day 7 = 2024-01-08 is complete):
 *   A 40: use "good" on day 0, active 1 day in week 1, 30 back on day 7 (and use "late" there)
 *   B 60: no feature, 1 day, 10 back; 5 of them use "rare" on day 0 (2 of those back)
 *   C 10: use "power", 1 day, 4 back
 *   D 40: use "power", active days 0–4, 32 back
 *   E 10: no feature, days 0–4, 8 back
 *   F 5: start 2024-01-10, day 7 not complete: censored
 *   G 3: first active in December: not new
 * "power" looks good crudely (heavy users use it) but not within strata of week-1 activity.
 */
function population(): FixtureEvent[] {
  const ev: FixtureEvent[] = []
  const start = '2024-01-01'
  const group = (name: string, size: number, retained: number, activeDays: number, feature?: string) => {
    for (let i = 0; i < size; i++) {
      const user = `${name}${i}`
      for (let d = 0; d < activeDays; d++) ev.push({ user, at: utc(start, d, '09:00') })
      if (feature) ev.push({ user, at: utc(start, 0, '10:00'), featureKey: feature, elements: [{ tag: 'button' }] })
      if (i < retained) ev.push({ user, at: utc(start, 7, '11:00') })
    }
  }
  group('a', 40, 30, 1, 'good')
  for (let i = 0; i < 30; i++) ev.push({ user: `a${i}`, at: utc(start, 7, '12:00'), featureKey: 'late', elements: [{ tag: 'a' }] })
  group('b', 60, 10, 1)
  for (const i of [0, 1, 10, 11, 12]) ev.push({ user: `b${i}`, at: utc(start, 0, '10:00'), featureKey: 'rare', elements: [{ tag: 'i' }] })
  group('c', 10, 4, 1, 'power')
  group('d', 40, 32, 5, 'power')
  group('e', 10, 8, 5)
  for (let i = 0; i < 5; i++) ev.push({ user: `f${i}`, at: utc('2024-01-10', 0) })
  for (let i = 0; i < 3; i++) ev.push({ user: `g${i}`, at: utc('2023-12-20', 0) }, { user: `g${i}`, at: utc(start, 0), featureKey: 'good', elements: [{ tag: 'b' }] })
  return ev
}

beforeAll(async () => {
  t = await openTestStore()
  for (const id of ['good', 'power', 'rare', 'late']) {
    await createFeature(t.store.client, 'hr', { id, name: id, rules: [{ type: 'feature_key', key: id }] })
  }
  await insertFixtureEvents(t.store.client, 'hr', population())
})
afterAll(async () => {
  await t?.cleanup()
})

describe('highRetentionReport', () => {
  it('compares adopters with non-adopters crudely and within strata, and flags on the adjusted result only', async () => {
    const r = await highRetentionReport(t.store.client, { project: 'hr', from: '2024-01-01', to: '2024-01-10', n: 7, asOf: '2024-01-17' })
    expect(r.population).toMatchObject({ newUsers: 165, censored: 5 })
    expect(r.population.baseline).toMatchObject({ k: 84, n: 160 })
    expect(r.strata).toEqual([
      { label: '1', users: 110 },
      { label: '2', users: 0 },
      { label: '3–4', users: 0 },
      { label: '5–7', users: 50 },
    ])
    expect(r.features.map((f) => [f.featureId, f.status, f.highRetention])).toEqual([
      ['good', 'tested', true],
      ['power', 'tested', false],
      ['rare', 'not_enough_data', false],
      ['late', 'not_enough_data', false],
    ])
    const [good, power, rare, late] = r.features

    expect(good!.adopters).toMatchObject({ k: 30, n: 40 })
    expect(good!.nonAdopters).toMatchObject({ k: 54, n: 120 })
    const crude = compareProportions(30, 40, 54, 120)
    expect(good!.lift).toBeCloseTo(0.75 / 0.45, 12)
    expect(good!.p).toBe(crude.p)
    expect(good!.difference).toEqual(crude.difference)
    // The non-adopters most like "good"'s adopters (1 active day, 1 event besides the feature's, no other
    // feature) are the 55 B users without "rare": 8 of them returned. The models' estimate is close.
    expect(Math.abs(good!.adjusted.rateCounterfactual! - 8 / 55)).toBeLessThan(0.01)
    expect(good!.adjusted.lift).toBeCloseTo(0.75 / good!.adjusted.rateCounterfactual!, 12)
    expect(good!.adjusted.low!).toBeGreaterThan(1)
    expect(good!.adjusted.eValue).toBeCloseTo(good!.adjusted.lift! + Math.sqrt(good!.adjusted.lift! * (good!.adjusted.lift! - 1)), 12)
    expect(good!.adjusted.eValueLimit).toBeGreaterThan(1)
    // Drawn in rounds of 20 until more could not change the answer, 100 at most.
    expect([20, 40, 60, 80, 100]).toContain(good!.adjusted.placebo!.placebos)
    expect(good!.adjusted.placebo!.p).toBeLessThan(0.05)
    expect(good!.adjusted.strata[0]).toMatchObject({ adopters: { k: 30, n: 40 }, nonAdopters: { k: 14, n: 70 } })
    expect(r.adjustment.covariates).toEqual(expect.arrayContaining(['active days in the window (exact)']))
    expect(r.adjustment.method).toMatch(/AIPW/)

    // Crude: 36/50 against 48/110, clearly "better"; against people of the same first week
    // (C like the B users without "rare": 4/10 vs 8/55; D like E: 32/40 vs 8/10) no better.
    expect(power!.adopters).toMatchObject({ k: 36, n: 50 })
    expect(power!.nonAdopters).toMatchObject({ k: 48, n: 110 })
    expect(power!.p).toBeLessThan(0.01)
    expect(power!.adjusted.lift!).toBeLessThan(1.3)
    expect(power!.adjusted.p!).toBeGreaterThan(0.05)
    // BH over the two tested features.
    expect([good!.q, power!.q]).toEqual(benjaminiHochberg([good!.p, power!.p]))
    expect([good!.adjusted.q, power!.adjusted.q]).toEqual(benjaminiHochberg([good!.adjusted.p, power!.adjusted.p]))

    expect(rare!.adopters).toMatchObject({ k: 2, n: 5 })
    expect(rare).toMatchObject({ p: null, q: null })
    // Use on day 7 is outcome, not exposure.
    expect(late!.adopters.n).toBe(0)
    expect(r.note).toMatch(/association, not proof of cause/i)
  })

  it('counts new users whose day 0 is the as-of day as censored', async () => {
    // As of 2024-01-10 12:00, F's five users (first active on 2024-01-10) start on the as-of day itself.
    const r = await highRetentionReport(t.store.client, { project: 'hr', from: '2024-01-01', to: '2024-01-10', n: 7, asOf: '2024-01-10T12:00:00Z', timezone: 'UTC' })
    expect(r.population).toMatchObject({ newUsers: 165, censored: 5 })
    // Day 7 of everyone else (2024-01-08) is complete.
    expect(r.population.baseline.n).toBe(160)
  })

  it('keeps exposure and outcome apart and guards min_n', async () => {
    await expect(highRetentionReport(t.store.client, { project: 'hr', from: '2024-01-01', to: '2024-01-10', n: 6 })).rejects.toMatchObject({
      field: 'n',
    })
    const strict = await highRetentionReport(t.store.client, {
      project: 'hr', from: '2024-01-01', to: '2024-01-10', n: 7, asOf: '2024-01-17', minN: 51,
    })
    expect(strict.features.every((f) => f.status === 'not_enough_data' && !f.highRetention)).toBe(true)
  })
})

describe('highRetentionReport without features', () => {
  it('still describes the population', async () => {
    await insertFixtureEvents(t.store.client, 'hr-none', [{ user: 'solo', at: utc('2024-01-01', 0) }])
    const r = await highRetentionReport(t.store.client, { project: 'hr-none', from: '2024-01-01', to: '2024-01-10', n: 7, asOf: '2024-01-17' })
    expect(r.features).toEqual([])
    expect(r.population).toMatchObject({ newUsers: 1, censored: 0, baseline: { k: 0, n: 1 } })
  })
})
