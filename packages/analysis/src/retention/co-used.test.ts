import { describe, expect, it } from 'vitest'
import { adjustedEffect, placeboDesign } from './adjusted-effect.js'
import { coUsedCovariates, coUseOf, MAX_CO_USED } from './co-used.js'
import { codePopulation, type PersonRow } from './covariates.js'
import { seededRandom } from './placebo.js'

const UNKNOWN = { device: '', source: '', country: '', landing: '', founder: false, traits: {}, accountSize: 0, plan: '', joined: 0, weekday: 0, dayPart: '', accountAge: 0, client: '', accountTraits: {}, measures: {} }

/**
 * 4,000 people. Feature 0 works (its users return at twice the rate); feature 1 does nothing and is
 * used by 80% of feature 0's users and 3% of the others; features 2… are used at random.
 */
function bundledWorld(extra = 3): PersonRow[] {
  const random = seededRandom(11)
  return Array.from({ length: 4000 }, () => {
    const active = 1 + Math.floor(random() * 7)
    const works = random() < 0.3
    const beside = random() < (works ? 0.8 : 0.03)
    const used = [...(works ? [0] : []), ...(beside ? [1] : []), ...Array.from({ length: extra }, (_, j) => j + 2).filter(() => random() < 0.2)]
    return {
      retained: random() < (0.12 + active * 0.03) * (works ? 2 : 1),
      active,
      late: Math.min(3, active - 1),
      events: active * 5,
      sessions: active,
      used,
      ...UNKNOWN,
    }
  })
}

function setUp(rows: PersonRow[], features: number) {
  const pop = codePopulation(rows, 7)
  const design = placeboDesign(pop)
  const co = coUseOf(rows.map((r) => r.used), pop.retained, features, design)
  const exposure = (f: number) => Uint8Array.from(rows, (r) => (r.used.includes(f) ? 1 : 0))
  return { pop, co, exposure }
}

describe('coUseOf', () => {
  it('counts the people who used each pair, those retained, and their expected return', () => {
    const rows = bundledWorld()
    const { co, pop } = setUp(rows, 5)
    const users = (f: number, g: number) => rows.filter((r) => r.used.includes(f) && r.used.includes(g))
    expect(co.both[0 * 5 + 1]).toBe(users(0, 1).length)
    expect(co.both[1 * 5 + 0]).toBe(users(0, 1).length)
    expect(co.both[2 * 5 + 2]).toBe(users(2, 2).length)
    expect(co.retainedBoth[0 * 5 + 1]).toBe(users(0, 1).filter((r) => r.retained).length)
    // Expected return over a feature's users lies between 0 and their number.
    expect(co.people).toBe(pop.size)
    expect(co.expectedBoth[3 * 5 + 3]).toBeGreaterThan(0)
    expect(co.expectedBoth[3 * 5 + 3]).toBeLessThan(co.both[3 * 5 + 3]!)
  })
})

describe('coUsedCovariates', () => {
  it('holds the feature that works equal when the one used beside it is compared, and not the other way round', () => {
    const { co } = setUp(bundledWorld(), 5)
    expect(coUsedCovariates(co, 1)[0]).toBe(0)
    expect(coUsedCovariates(co, 0)).not.toContain(1)
  })

  it('takes away the lift of the feature used beside one that works, and keeps that one', () => {
    const rows = bundledWorld()
    const { pop, co, exposure } = setUp(rows, 5)
    const none = new Float64Array(rows.length)
    const beside = exposure(1)
    const without = adjustedEffect(pop, beside, none)
    const held = adjustedEffect(pop, beside, none, {}, coUsedCovariates(co, 1).map(exposure))
    expect(without.riskRatio!).toBeGreaterThan(1.4)
    expect(without.riskRatioLow!).toBeGreaterThan(1)
    expect(held.riskRatioLow!).toBeLessThan(1)
    expect(held.riskRatioHigh!).toBeGreaterThan(1)
    const works = adjustedEffect(pop, exposure(0), none, {}, coUsedCovariates(co, 0).map(exposure))
    expect(works.riskRatioLow!).toBeGreaterThan(1.5)
  })

  it('leaves out features too rare on either side and chooses at most MAX_CO_USED', () => {
    // Feature 1 is used by 6 people only, all of them users of feature 0: too few to weigh.
    let left = 6
    const rows = bundledWorld(12).map((r) => {
      const used = r.used.filter((f) => f !== 1)
      if (used.includes(0) && left > 0) {
        left -= 1
        used.splice(1, 0, 1)
      }
      return { ...r, used }
    })
    const { co } = setUp(rows, 14)
    expect(co.both[1 * 14 + 1]).toBe(6)
    for (let f = 0; f < 14; f++) {
      const chosen = coUsedCovariates(co, f)
      expect(chosen).not.toContain(f)
      expect(chosen.length).toBeLessThanOrEqual(MAX_CO_USED)
      if (f !== 1) expect(chosen).not.toContain(1)
    }
    // Feature 0's users return more than their covariates predict, but a feature used at random has as
    // many of them among its users as among the others, so feature 0 could not bias its comparison.
    expect(coUsedCovariates(co, 5)).toEqual([])
  })
})
