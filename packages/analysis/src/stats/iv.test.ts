import { describe, expect, it } from 'vitest'
import { mixtureCriticalValue, mixtureRho } from './confidence-sequence.js'
import { fiellerSet, ratioSetContains } from './fieller.js'
import { daysUntil, ivSampleSize } from './iv-power.js'
import { encouragementIv, WEAK_F } from './iv.js'
import { Z95 } from './normal.js'

describe('fiellerSet', () => {
  it('matches the hand-solved quadratic and its endpoints make the test statistic equal c', () => {
    // (2 − θ)² = 1.96² (0.25 + 0.04 θ²) → 0.846336 θ² − 4θ + 3.0396 = 0.
    const s = fiellerSet(2, 1, 0.25, 0.04, 0, 1.96)
    expect(s.kind).toBe('bounded')
    expect(s.low).toBeCloseTo(0.95143, 4)
    expect(s.high).toBeCloseTo(3.77483, 4)
    for (const t of [s.low!, s.high!]) expect((2 - t) ** 2).toBeCloseTo(1.96 ** 2 * (0.25 + 0.04 * t * t), 9)
    expect(ratioSetContains(s, 2)).toBe(true)
    expect(ratioSetContains(s, 0)).toBe(false)
  })
  it('is the whole line when neither estimate is clear of zero, two rays when only the numerator is', () => {
    expect(fiellerSet(0.1, 0.1, 1, 1, 0, 1.96).kind).toBe('all')
    const s = fiellerSet(5, 0.1, 1, 1, 0, 1.96)
    expect(s.kind).toBe('outside')
    expect(ratioSetContains(s, 0)).toBe(false)
    expect(ratioSetContains(s, 50)).toBe(true)
  })
})

describe('mixtureCriticalValue', () => {
  it('equals the hand-computed boundary at the planned size and exceeds 1.96 everywhere', () => {
    // tρ² = 2 ln 20 + ln(2 ln 20 + 1) = 7.93614; z² = 2·8.93614/7.93614 · ln(√8.93614 / 0.05).
    const tr = 2 * Math.log(20) + Math.log(2 * Math.log(20) + 1)
    expect(mixtureRho(1000) ** 2 * 1000).toBeCloseTo(7.93614, 4)
    expect(mixtureCriticalValue(1000)).toBeCloseTo(Math.sqrt(((2 * (tr + 1)) / tr) * Math.log(Math.sqrt(tr + 1) / 0.05)), 12)
    expect(mixtureCriticalValue(1000)).toBeCloseTo(3.0352, 3)
    for (const t of [1, 10, 100, 1e4, 1e6, 1e9]) expect(mixtureCriticalValue(t)).toBeGreaterThan(Z95)
    // Grows like √(log t) far past the tuning point: the price of looking at every t.
    expect(mixtureCriticalValue(1e8)).toBeGreaterThan(mixtureCriticalValue(1e5))
  })
  it('rejects nonsense', () => {
    expect(() => mixtureCriticalValue(0)).toThrow(RangeError)
    expect(() => mixtureCriticalValue(10, 1.5)).toThrow(RangeError)
  })
})

describe('encouragementIv', () => {
  // Hand-computed: ITT on adoption 0.40 − 0.10 = 0.30, on retention 0.30 − 0.24 = 0.06, CACE 0.2;
  // compliers retain 0.12/0.3 = 0.40 using the feature and 0.06/0.3 = 0.20 not using it, ratio 2.
  const assigned = { n: 1000, adopted: 400, retained: 300, adoptedRetained: 160 }
  const heldOut = { n: 1000, adopted: 100, retained: 240, adoptedRetained: 40 }
  const r = encouragementIv(assigned, heldOut)

  it('gives the Wald CACE, the complier ratio and the first-stage F', () => {
    expect(r.ittAdoption.estimate).toBeCloseTo(0.3, 12)
    expect(r.ittRetention.estimate).toBeCloseTo(0.06, 12)
    expect(r.cace.estimate).toBeCloseTo(0.2, 12)
    expect(r.caceRatio.compliers.retainedUsing).toBeCloseTo(0.4, 12)
    expect(r.caceRatio.compliers.retainedNotUsing).toBeCloseTo(0.2, 12)
    expect(r.caceRatio.estimate).toBeCloseTo(2, 12)
    // Var(D) with n − 1: 0.24·1000/999 and 0.09·1000/999; F = 0.09 / (0.33/999).
    expect(r.firstStageF).toBeCloseTo((0.09 * 999) / 0.33, 8)
    expect(r.weakInstrument).toBe(false)
  })
  it('holds the Wald estimate inside both sets, the always-valid one wider', () => {
    expect(r.cace.fixed.kind).toBe('bounded')
    expect(r.cace.fixed.low!).toBeLessThan(0.2)
    expect(r.cace.fixed.high!).toBeGreaterThan(0.2)
    expect(r.cace.alwaysValid.low!).toBeLessThan(r.cace.fixed.low!)
    expect(r.cace.alwaysValid.high!).toBeGreaterThan(r.cace.fixed.high!)
    expect(r.ittRetention.alwaysValid.low!).toBeLessThan(r.ittRetention.fixed.low!)
    expect(r.caceRatio.fixed.low!).toBeLessThan(2)
    expect(r.caceRatio.fixed.high!).toBeGreaterThan(2)
  })
  it('excludes no effect exactly when the Anderson–Rubin test of the ITT on retention rejects', () => {
    // AR at 0 is the z-test of the ITT on retention with unpooled variances.
    for (const k1 of [300, 260, 275, 280]) {
      const x = encouragementIv({ ...assigned, retained: k1, adoptedRetained: 130 }, heldOut)
      const z = x.ittRetention.estimate! / x.ittRetention.se!
      expect(ratioSetContains(x.cace.fixed, 0)).toBe(Math.abs(z) <= Z95)
    }
  })
  it('calls a barely moving nudge a weak instrument and makes no bounded claim', () => {
    const w = encouragementIv({ n: 500, adopted: 60, retained: 150, adoptedRetained: 20 }, { n: 500, adopted: 52, retained: 140, adoptedRetained: 17 })
    expect(w.firstStageF!).toBeLessThan(WEAK_F)
    expect(w.weakInstrument).toBe(true)
    expect(w.cace.fixed.kind).not.toBe('bounded')
  })
  it('rejects inconsistent counts and says nothing on empty arms', () => {
    expect(() => encouragementIv({ n: 10, adopted: 11, retained: 0, adoptedRetained: 0 }, heldOut)).toThrow(RangeError)
    expect(() => encouragementIv({ n: 10, adopted: 3, retained: 3, adoptedRetained: 4 }, heldOut)).toThrow(RangeError)
    const e = encouragementIv({ n: 0, adopted: 0, retained: 0, adoptedRetained: 0 }, heldOut)
    expect(e.cace.estimate).toBeNull()
    expect(e.cace.fixed.kind).toBe('all')
  })
})

describe('ivSampleSize', () => {
  it('matches the hand formula and scales with 1/π²', () => {
    // π = 0.2, CACE 0.1 → ITT 0.02; p0 0.3, p1 0.32; h = 0.5:
    // N = (1.959964 + 0.841621)² (0.32·0.68/0.5 + 0.3·0.7/0.5) / 0.02² = 7.84888 · 0.8552 / 0.0004.
    const p = ivSampleSize({ cace: 0.1, firstStage: 0.2, baseline: 0.3, holdoutShare: 0.5 })!
    expect(p.total).toBe(Math.ceil((2.801585 ** 2 * 0.8552) / 0.0004))
    expect(p.assigned).toBe(Math.ceil(p.total / 2))
    const q = ivSampleSize({ cace: 0.1, firstStage: 0.4, baseline: 0.3, holdoutShare: 0.5 })!
    expect(p.total / q.total).toBeGreaterThan(3.5)
    expect(p.alwaysValid.total).toBeGreaterThan(p.total)
    expect(ivSampleSize({ cace: 0.1, firstStage: 0, baseline: 0.3, holdoutShare: 0.5 })).toBeNull()
  })
  it('says when, at the current arrival rate, plus the last window', () => {
    expect(daysUntil(1000, 400, 60, 8)).toBe(18)
    expect(daysUntil(100, 400, 60, 8)).toBe(0)
    expect(daysUntil(1000, 0, 0, 8)).toBeNull()
  })
})
