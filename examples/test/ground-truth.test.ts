import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '@tenure/analysis/testing'
import { createFeature, detectSeatSharing, highRetentionReport, renewalsReport, type HighRetentionReport, type Store } from '@tenure/analysis'
import { featureDefinitions, featureId } from '../simulate/catalog.js'
import { DAY_MS, formatDay, parseDay } from '../simulate/dates.js'
import { Simulation } from '../simulate/simulate.js'
import { BulkSink } from '../simulate/sinks/bulk.js'
import type { GroundTruth } from '../simulate/ground-truth.js'
import { importDemoBook } from '../demo/book.js'

/**
 * The simulator's ground truth must come back out of the reports: a small world (seeded, so the
 * same every run) written with the collector's row builder, its account book imported from CSV.
 */
const PROJECT = 'ground-truth'
// GT_SEED / GT_USERS / GT_DAYS try other worlds by hand; the suite runs the default one.
const WORLD = { seed: Number(process.env.GT_SEED ?? 11), users: Number(process.env.GT_USERS ?? 900), days: Number(process.env.GT_DAYS ?? 120), endDate: '2025-06-01' }

let store: Store
let cleanup: () => Promise<void>
let truth: GroundTruth

beforeAll(async () => {
  ;({ store, cleanup } = await openTestStore())
  const sim = new Simulation(WORLD)
  const sink = new BulkSink({ store, projectId: PROJECT, rowsPerInsert: 100_000 })
  for (const s of sim.sessions()) await sink.write(s)
  await sink.flush()
  const result = sim.result()
  truth = result.groundTruth
  await importDemoBook(store.client, PROJECT, result.accountBook)
  for (const def of featureDefinitions()) await createFeature(store.client, PROJECT, def)
}, 240_000)

afterAll(async () => {
  await cleanup?.()
})

describe('ground truth recovered by the reports', () => {
  it('the renewal-driving feature has the largest renewal lift and is flagged', async () => {
    const report = await renewalsReport(store.client, { projectId: PROJECT, asOf: WORLD.endDate })
    expect(report.renewals.length).toBeGreaterThan(150)
    const ranked = report.featureRenewal.features
    const best = [...ranked].sort((a, b) => (b.comparison.lift ?? 0) - (a.comparison.lift ?? 0))[0]!
    expect(best.feature).toBe(featureId(truth.renewalFeature))
    expect(best.highRenewal).toBe(true)
    // Other features may go with renewal too (accounts that use more of the product), but less.
    for (const f of ranked) if (f.feature !== best.feature) expect(f.comparison.lift!).toBeLessThan(best.comparison.lift!)
  })

  describe('high-retention features (day 30, adjusted for first-week activity)', () => {
    let report: HighRetentionReport
    const row = (key: string) => report.features.find((f) => f.featureId === featureId(key))!

    beforeAll(async () => {
      // Cohorts whose day 30 has passed by the end of the simulated window.
      const to = formatDay(parseDay(WORLD.endDate) - 31 * DAY_MS)
      report = await highRetentionReport(store.client, { project: PROJECT, from: truth.startDate, to, asOf: WORLD.endDate, n: 30 })
    })

    it('flags the features that raise retention, and none of the neutral ones', () => {
      for (const key of truth.retentionRaising) expect(row(key).highRetention).toBe(true)
      for (const f of truth.features.filter((x) => x.role === 'neutral')) expect(row(f.key).highRetention).toBe(false)
      expect(report.population.newUsers).toBeGreaterThan(500)
    })

    it('does not flag the power-user feature, though its crude comparison looks strong', () => {
      const power = row(truth.powerUserFeature)
      expect(power.status).toBe('tested')
      expect(power.lift!).toBeGreaterThan(1.2)
      expect(power.q!).toBeLessThan(0.05)
      expect(power.highRetention).toBe(false)
    })
  })

  it('shared seats are found among the flagged users', async () => {
    expect(truth.sharedSeatUsers.length).toBeGreaterThan(0)
    const from = truth.startDate
    const result = await detectSeatSharing(store.client, PROJECT, from, WORLD.endDate)
    const flagged = new Set(result.accounts.flatMap((a) => a.flaggedUsers.filter((u) => u.reasons.includes('overlapping_sessions')).map((u) => u.userId)))
    // Every seat whose people's visits overlapped (by 5 minutes or more) on at least two days is found.
    const evident = truth.sharedSeatUsers.filter((s) => s.sharedDays >= 2)
    expect(evident.length).toBeGreaterThan(0)
    for (const s of evident) expect(flagged.has(s.userId)).toBe(true)
    // Nobody with a single person behind the seat overlaps with themselves.
    const shared = new Set(truth.sharedSeatUsers.map((s) => s.userId))
    for (const id of flagged) expect(shared.has(id)).toBe(true)
  })
})
