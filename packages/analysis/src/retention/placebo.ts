import { normalSurvival } from '../stats/normal.js'
import { adjustedEffect, placeboEffect, type PlaceboDesign } from './adjusted-effect.js'
import type { Population } from './covariates.js'
import type { AipwResult } from '../stats/aipw.js'
import { pushTo } from '../multimap.js'

export interface PlaceboCheck {
  /** Placebo pseudo-features drawn (each as many people as the feature's adopters). */
  placebos: number
  /** Share of placebos that would pass the adjusted test alone (lift > 1, p < 0.05). */
  flaggedShare: number
  /** Mean and standard deviation of the placebos' adjusted z (log lift / its standard error). */
  meanZ: number
  sdZ: number
  /** One-sided p of the feature's z against the placebo distribution (sd taken as at least 1). */
  p: number | null
}

/** A small seeded generator (mulberry32), so a report is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function seedOf(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

/** People by exact active days in the window, the placebos' matching key. */
export function activityPools(pop: Population): Map<number, number[]> {
  const pools = new Map<number, number[]>()
  for (let i = 0; i < pop.size; i++) {
    const code = pop.activity[i]!
    pushTo(pools, code, i)
  }
  return pools
}

/**
 * A random pseudo-feature matched to `exposed`: for every adopter, a person drawn at random
 * (without replacement) among everyone with the same first-window activity code; when a code
 * runs out, anyone not yet drawn.
 */
export function drawPlacebo(pop: Population, exposed: Uint8Array, pools: Map<number, number[]>, random: () => number): Uint8Array {
  const out = new Uint8Array(pop.size)
  const taken = new Map<number, number>()
  const shuffled = new Map<number, number[]>()
  let spill = 0
  for (let i = 0; i < pop.size; i++) {
    if (exposed[i] !== 1) continue
    const code = pop.activity[i]!
    const pool = pools.get(code)!
    let list = shuffled.get(code)
    if (!list) shuffled.set(code, (list = pool.slice()))
    const used = taken.get(code) ?? 0
    if (used < list.length) {
      // Partial Fisher–Yates: the next draw without replacement from this pool.
      const j = used + Math.floor(random() * (list.length - used))
      ;[list[used], list[j]] = [list[j]!, list[used]!]
      out[list[used]!] = 1
      taken.set(code, used + 1)
    } else spill += 1
  }
  for (let tries = 0; spill > 0 && tries < pop.size * 20; tries++) {
    const j = Math.floor(random() * pop.size)
    if (out[j] === 0) {
      out[j] = 1
      spill -= 1
    }
  }
  return out
}

/**
 * The placebo check of metrics spec §4: the same adjusted statistic on `count` random
 * pseudo-features matched to the feature's adopters, and where the feature's own z falls in
 * their distribution. Model fits start from the feature's, which makes each placebo cheap.
 */
export function placeboCheck(
  pop: Population,
  exposed: Uint8Array,
  feature: AipwResult,
  opts: { count: number; seed: number; pools: Map<number, number[]>; design?: PlaceboDesign },
): PlaceboCheck {
  const random = seededRandom(opts.seed)
  const zs: number[] = []
  let flagged = 0
  for (let k = 0; k < opts.count; k++) {
    const placebo = drawPlacebo(pop, exposed, opts.pools, random)
    // The feature's fits may hold co-used columns after the population's: a start uses the leading ones.
    const start = { start: { propensity: feature.propensity, outcome: feature.outcome } }
    const r = opts.design ? placeboEffect(pop, opts.design, placebo, start) : adjustedEffect(pop, placebo, null, start)
    if (r.z === null) continue
    zs.push(r.z)
    if (r.p !== null && r.p < 0.05 && r.z > 0) flagged += 1
  }
  const mean = zs.length ? zs.reduce((s, z) => s + z, 0) / zs.length : 0
  const sd = zs.length > 1 ? Math.sqrt(zs.reduce((s, z) => s + (z - mean) ** 2, 0) / (zs.length - 1)) : 1
  return {
    placebos: zs.length,
    flaggedShare: zs.length ? flagged / zs.length : 0,
    meanZ: mean,
    sdZ: sd,
    p: feature.z === null || zs.length === 0 ? null : normalSurvival((feature.z - mean) / Math.max(sd, 1)),
  }
}
