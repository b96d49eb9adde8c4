import { describe, expect, it } from 'vitest'
import { fitGroupedLogistic } from '../stats/grouped-logistic.js'
import type { AipwResult } from '../stats/aipw.js'
import { adjustedEffect, placeboDesign } from './adjusted-effect.js'
import { codePopulation, type PersonRow } from './covariates.js'
import { firstWeeks } from './__fixtures__/first-weeks.js'
import { activityPools, drawPlacebo, placeboCheck, placeboPropensityStart, seededRandom } from './placebo.js'

/** 500 people with varied first weeks; retention rises with activity; feature 0 is used more by the active. */
const people = (): PersonRow[] => firstWeeks(500, 3, (random, active) => (random() < 0.1 + active * 0.04 ? [0] : []))

const rows = people()
const pop = codePopulation(rows, 7)
const design = placeboDesign(pop)
const exposed = Uint8Array.from(rows, (r) => (r.used.includes(0) ? 1 : 0))
const feature = adjustedEffect(pop, exposed, null)
const pools = activityPools(pop)
/** The feature's comparison with its z set to `z`: where it stands against the placebos is all the check reads of it. */
const withZ = (z: number): AipwResult => ({ ...feature, z })
const check = (z: number, settle?: { alpha: number; tests: number }) => placeboCheck(pop, exposed, withZ(z), { count: 100, seed: 5, pools, design, settle })

describe('placeboCheck', () => {
  const all = check(0)
  const line = all.meanZ + 2 * Math.max(all.sdZ, 1)

  it('draws every placebo asked for without a rule to settle by', () => {
    expect(all.placebos).toBe(100)
    expect(Math.abs(all.meanZ)).toBeLessThan(1)
  })

  it('stops after the first round once the feature lies far above its placebos, with the same answer', () => {
    const settled = check(line + 8, { alpha: 0.05, tests: 10 })
    expect(settled.placebos).toBe(20)
    expect(settled.p!).toBeLessThan(0.05 / 10)
    expect(check(line + 8).p!).toBeLessThan(0.05 / 10)
  })

  it('stops after the first round once the feature lies below its placebos', () => {
    const settled = check(all.meanZ - 1, { alpha: 0.05, tests: 10 })
    expect(settled.placebos).toBe(20)
    expect(settled.p!).toBeGreaterThan(0.05)
  })

  it('keeps drawing while more placebos could change whether the feature beats them', () => {
    // Two deviations above the placebos' mean: p about 0.02, on either side of α = 0.05 as the first rounds' mean and deviation move.
    const near = check(line, { alpha: 0.05, tests: 1 })
    expect(near.placebos).toBeGreaterThan(20)
    expect(near).toEqual(check(line))
  })

  it('draws the same placebos in the same order, whatever the rule', () => {
    const a = drawPlacebo(pop, exposed, pools, seededRandom(9))
    const b = drawPlacebo(pop, exposed, pools, seededRandom(9))
    expect(a).toEqual(b)
    expect(a.reduce((s, x) => s + x, 0)).toBe(exposed.reduce((s, x) => s + x, 0))
  })
})

describe('placeboPropensityStart', () => {
  it('starts the propensity model where its fit ends no matter the start, closer than from zero', () => {
    const placebo = drawPlacebo(pop, exposed, pools, seededRandom(13))
    const n1 = new Float64Array(design.people.length)
    for (let i = 0; i < pop.size; i++) n1[design.cellOf[i]!]! += placebo[i]!
    const rows = { x: design.x, p: design.p, trials: design.people, successes: n1, sparse: design.sparse }
    const fromZero = fitGroupedLogistic(rows)
    const fromStart = fitGroupedLogistic(rows, { start: placeboPropensityStart(pop, exposed).beta })
    expect(fromStart.converged).toBe(true)
    fromZero.beta.forEach((b, j) => expect(fromStart.beta[j]!).toBeCloseTo(b, 8))
    expect(fromStart.iterations).toBeLessThanOrEqual(fromZero.iterations)
  })
})
