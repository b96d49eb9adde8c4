import { describe, expect, it } from 'vitest'
import { evidenceOf, nudgeExperiment, type NudgeExperimentInput } from './experiment.js'

const base: NudgeExperimentInput = {
  assigned: { n: 1800, adopted: 720, retained: 540, adoptedRetained: 288 },
  heldOut: { n: 200, adopted: 20, retained: 44, adoptedRetained: 8 },
  eligible: 2300,
  pending: 300,
  holdoutShare: 0.1,
  startedAt: '2026-01-01T00:00:00.000Z',
  stoppedAt: null,
  asOf: '2026-02-01T00:00:00.000Z',
  adoptionDays: 7,
  retentionDay: 7,
  minN: 30,
  targetCace: 0.05,
}

describe('nudgeExperiment', () => {
  it('reports ITT, first stage, CACE (0.08 / 0.30 here) and confirms a clear effect on the always-valid set', () => {
    const e = nudgeExperiment(base)
    expect(e.ittAdoption.estimate).toBeCloseTo(0.4 - 0.1, 12)
    expect(e.ittRetention.estimate).toBeCloseTo(0.3 - 0.22, 12)
    expect(e.cace.estimate).toBeCloseTo(0.08 / 0.3, 12)
    expect(e.firstStage.weak).toBe(false)
    expect(e.evidence).toBe(e.cace.alwaysValid.low! > 0 ? 'confirmed' : 'not_confirmed')
    expect(e.plan.needed!.assigned).toBeGreaterThan(e.plan.needed!.heldOut)
    expect(e.plan.perDay).toBeCloseTo(2300 / 31, 6)
    expect(e.message).toContain('day-7')
  })
  it('says "instrument too weak" in words when adoption barely moves', () => {
    const e = nudgeExperiment({ ...base, assigned: { n: 1800, adopted: 190, retained: 400, adoptedRetained: 50 }, heldOut: { n: 200, adopted: 20, retained: 44, adoptedRetained: 6 } })
    expect(e.firstStage.weak).toBe(true)
    expect(e.firstStage.words).toMatch(/Instrument too weak/)
    expect(e.evidence).toBe('not_confirmed')
  })
  it('withholds evidence below minN and plans no arrivals for a stopped nudge', () => {
    const e = nudgeExperiment({ ...base, heldOut: { n: 10, adopted: 1, retained: 2, adoptedRetained: 0 }, stoppedAt: '2026-01-20T00:00:00.000Z', pending: 0, eligible: 1810 })
    expect(e.evidence).toBe('not_enough_data')
    expect(e.message).toMatch(/Not enough data/)
  })
  it('says when the users already assigned reach the plan, also before a day has passed to give a rate', () => {
    const small = { ...base, assigned: { n: 40, adopted: 16, retained: 12, adoptedRetained: 6 }, heldOut: { n: 40, adopted: 4, retained: 9, adoptedRetained: 1 } }
    // Started an hour before as-of: no rate yet, but enough people are inside their windows.
    const early = nudgeExperiment({ ...small, startedAt: '2026-01-31T23:00:00.000Z', pending: 1_000_000 })
    expect(early.plan.perDay).toBeNull()
    expect(early.plan.words).toContain('The users already assigned reach it in about 8 days.')
    const later = nudgeExperiment({ ...small, pending: 1_000_000 })
    expect(later.plan.words).toContain('The users already assigned reach it in about 8 days.')
    const rate = nudgeExperiment({ ...small, pending: 0 })
    expect(rate.plan.words).toMatch(/At today's rate \([\d.]+ eligible users a day\) that is about \d+ days from now\./)
  })
  it('confirms only a set wholly above zero', () => {
    expect(evidenceOf({ kind: 'bounded', low: 0.01, high: 0.2 }, true)).toBe('confirmed')
    expect(evidenceOf({ kind: 'bounded', low: -0.01, high: 0.2 }, true)).toBe('not_confirmed')
    expect(evidenceOf({ kind: 'bounded', low: -0.3, high: -0.1 }, true)).toBe('not_confirmed')
    expect(evidenceOf({ kind: 'outside', low: -0.3, high: 0.1 }, true)).toBe('not_confirmed')
    expect(evidenceOf({ kind: 'all', low: null, high: null }, true)).toBe('not_confirmed')
  })
})
