import { describe, expect, it } from 'vitest'
import { benjaminiHochberg } from '../stats/bh.js'
import { placeboDesign } from './adjusted-effect.js'
import { coUseOf } from './co-used.js'
import { codePopulation, type PersonRow } from './covariates.js'
import { featureCounts, type Cohort } from './high-retention-cohort.js'
import { seededRandom } from './placebo.js'
import { UNKNOWN_ORIGIN as UNKNOWN } from './__fixtures__/first-weeks.js'


/** 1,200 people; feature 0 lifts return a little, features 1… are used at random and do nothing. */
function cohortWith(features: number, seed: number): Cohort {
  const random = seededRandom(seed)
  const people: PersonRow[] = Array.from({ length: 1200 }, () => {
    const active = 1 + Math.floor(random() * 7)
    const used = Array.from({ length: features }, (_, f) => f).filter(() => random() < 0.3)
    return {
      retained: random() < 0.15 + active * 0.06 + (used.includes(0) ? 0.06 : 0),
      active, late: Math.min(3, active - 1), events: active * 5, sessions: active, used,
      accountSize: 0, plan: '', joined: 0, ...UNKNOWN,
    }
  })
  const pop = codePopulation(people, 7)
  const design = placeboDesign(pop)
  const exposures = Array.from({ length: features }, (_, f) => Uint8Array.from(people, (p) => (p.used.includes(f) ? 1 : 0)))
  return {
    pop, censored: 0, design, exposures,
    stratumOf: Int8Array.from(people, (p) => [1, 2, 3, 5].filter((b) => p.active >= b).length - 1),
    ownEvents: Array.from({ length: features }, () => []),
    coUse: coUseOf(people.map((p) => p.used), pop.retained, features, design),
  }
}

const params = { from: '2026-01-01', to: '2026-01-31', n: 14, window: 7, minN: 30, placebos: 40 }
const keys = (n: number) => Array.from({ length: n }, (_, f) => ({ id: `f${f}`, version: 1 }))

describe('featureCounts', () => {
  it('draws placebos only for a feature whose adjusted q, over the features tested, can flag it', () => {
    // One seed where feature 0's adjusted p is under 0.05 but, beside 19 features that do nothing, its q is not.
    const many = featureCounts(cohortWith(20, 2), keys(20), params)
    const q = benjaminiHochberg(many.map((f) => f.adjusted.p))
    expect(many[0]!.adjusted.p!).toBeLessThan(0.05)
    expect(many[0]!.adjusted.riskRatio!).toBeGreaterThan(1)
    expect(q[0]!).toBeGreaterThanOrEqual(0.05)
    expect(many[0]!.placebo).toBeNull()
    for (const [i, f] of many.entries()) if (f.placebo) expect(q[i]!).toBeLessThan(0.05)

    // Tested alone, its q is its p: its placebos are drawn.
    const alone = featureCounts(cohortWith(20, 2), keys(20).slice(0, 1), params)
    expect(alone[0]!.adjusted.p).toBe(many[0]!.adjusted.p)
    expect(alone[0]!.placebo!.placebos).toBeGreaterThanOrEqual(20)
  })
})
