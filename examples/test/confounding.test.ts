import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '@tenure/analysis/testing'
import type { Store } from '@tenure/analysis'
import { WORLD_KINDS, worldSpec, type WorldKind } from '../simulate/worlds/confounding.js'
import { runWorld, type WorldResult } from '../simulate/worlds/run.js'

/**
 * Ground truth of the high-retention flags on the confounding worlds (small worlds, two seeds;
 * `examples/bench/confounding.bench.ts` runs more). Crude comparisons flag every confounded null;
 * the adjusted flag must not, and must still find the true effects.
 */
const SEEDS = [1, 2]
const USERS = 700

let store: Store
let cleanup: () => Promise<void>
const results = new Map<WorldKind, WorldResult[]>()

beforeAll(async () => {
  ;({ store, cleanup } = await openTestStore())
  await Promise.all(
    WORLD_KINDS.map(async (kind) => {
      const list: WorldResult[] = []
      for (const seed of SEEDS) list.push(await runWorld(store, `cf-${kind}-${seed}`, worldSpec(kind, seed, USERS)))
      results.set(kind, list)
    }),
  )
}, 900_000)

afterAll(async () => {
  await cleanup?.()
})

const features = (kind: WorldKind) => results.get(kind)!.flatMap((r) => r.features.map((f) => ({ ...f, seed: r.seed })))
const flagged = (kind: WorldKind, pick: (f: WorldResult['features'][number]) => boolean) =>
  features(kind).filter((f) => pick(f) && f.flagged).map((f) => `${f.id} (seed ${f.seed})`)

describe('high-retention flags on worlds with known confounding', () => {
  it.each(['big-accounts', 'after-active-days', 'effects-random', 'effects-heavy', 'launch-date', 'plan', 'acquisition', 'role', 'bundled', 'weekday', 'established', 'browser', 'invited', 'personal-email', 'industry', 'employees', 'hours'] as const)('flags no null feature in %s', (kind) => {
    expect(flagged(kind, (f) => f.effect === 1)).toEqual([])
    // The worlds are confounded: a crude comparison flags their nulls.
    expect(features(kind).filter((f) => f.effect === 1 && !f.id.startsWith('placebo-')).every((f) => f.crudeFlag)).toBe(true)
  })

  it('flags neither placebos nor the mildly selected null in the hidden-propensity world', () => {
    expect(flagged('propensity', (f) => f.id.startsWith('placebo-') || f.id === 'null-propensity-1')).toEqual([])
    expect(features('propensity').filter((f) => f.id.startsWith('null-')).every((f) => f.crudeFlag)).toBe(true)
  })

  it('flags every true effect of ×1.6 or more with at least 100 adopters, random or heavy adopters', () => {
    const big = [...features('effects-random'), ...features('effects-heavy')].filter((f) => f.effect >= 1.6 && f.adopters >= 100)
    expect(big.length).toBe(8)
    expect(big.filter((f) => !f.flagged).map((f) => f.id)).toEqual([])
    // The adjusted lift of heavy adopters is far below the crude one.
    for (const f of features('effects-heavy').filter((x) => x.effect > 1)) expect(f.adjustedLift!).toBeLessThan(f.crudeLift!)
  })

  it('flags no feature switched on for whole accounts drawn at random', () => {
    // Not confounded, only clustered: the adopters are a few teams, so their return varies with those teams' pull.
    expect(flagged('team', (f) => f.effect === 1)).toEqual([])
    const rollouts = features('team').filter((f) => f.id === 'null-team-rollout')
    expect(rollouts.map((f) => f.adopters >= 30)).toEqual(SEEDS.map(() => true))
  })

  it('flags the feature that works, not the one used beside it', () => {
    const effect = features('bundled').filter((f) => f.id === 'effect-2_0-bundle')
    expect(effect.length).toBe(SEEDS.length)
    expect(effect.filter((f) => !f.flagged).map((f) => `${f.id} (seed ${f.seed})`)).toEqual([])
  })
})
