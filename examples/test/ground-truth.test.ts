import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '@tenure/analysis/testing'
import { detectSeatSharing, renewalsReport, type Store } from '@tenure/analysis'
import { Simulation } from '../simulate/simulate.js'
import { BulkSink } from '../simulate/sinks/bulk.js'
import type { GroundTruth } from '../simulate/ground-truth.js'
import { importDemoBook } from '../demo/book.js'

/**
 * The simulator's ground truth must come back out of the reports: a small world (seeded, so the
 * same every run) written with the collector's row builder, its account book imported from CSV.
 */
const PROJECT = 'ground-truth'
const WORLD = { seed: 11, users: 900, days: 120, endDate: '2025-06-01' }

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
    expect(best.feature).toBe(truth.renewalFeature)
    expect(best.highRenewal).toBe(true)
    for (const f of ranked) if (f.feature !== truth.renewalFeature) expect(f.highRenewal).toBe(false)
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
