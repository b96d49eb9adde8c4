import { normalSurvival } from '../stats/normal.js'
import { adjustedEffect, placeboEffect, type PlaceboDesign } from './adjusted-effect.js'
import type { Population } from './covariates.js'
import type { AipwResult } from '../stats/aipw.js'
import type { GroupedLogisticFit } from '../stats/grouped-logistic.js'
import { pushTo } from '../multimap.js'

export interface PlaceboCheck {
  /** Placebo pseudo-features drawn (each as many people as the feature's adopters): the report's count at most. */
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
 * Where a placebo's propensity model starts: a placebo takes as many people of each first-window
 * activity code as the feature has adopters there, at random, so its propensity is about that
 * share per code and flat in every other covariate. The intercept holds the first code's share
 * and each activity column the difference (on the logit scale); every other coefficient is 0.
 */
export function placeboPropensityStart(pop: Population, exposed: Uint8Array): GroupedLogisticFit {
  const block = pop.blocks[0]!
  const people = new Float64Array(block.levels + 1)
  const adopters = new Float64Array(block.levels + 1)
  for (let i = 0; i < pop.size; i++) {
    people[pop.activity[i]!]! += 1
    adopters[pop.activity[i]!]! += exposed[i]!
  }
  // Half a person either way keeps a code no one (or everyone) of which adopted finite.
  const logit = (c: number) => Math.log((adopters[c]! + 0.5) / (people[c]! - adopters[c]! + 0.5))
  const beta = new Float64Array(pop.columns + 1)
  beta[0] = logit(0)
  for (let c = 1; c <= block.levels; c++) beta[block.offset + c] = logit(c) - beta[0]
  return { beta, iterations: 0, converged: false }
}

/** Placebos are drawn in rounds of this many; the check stops after a round once its answer is settled. */
const PLACEBO_ROUND = 20

/** How far a round's placebo mean and deviation may yet move, in their standard errors. */
const SPREAD = 2

/**
 * Whether more placebos could still change if the feature beats them: a p with the placebos'
 * mean and deviation moved `SPREAD` standard errors against the feature is at most α / tests
 * (it passes Benjamini–Hochberg whatever the other features' p), or one with them moved in its
 * favour is at least α (its q cannot fall below α).
 */
function settled(zs: readonly number[], z: number, settle: { alpha: number; tests: number }): boolean {
  const n = zs.length
  if (n < 2) return false
  const { mean, sd } = moments(zs)
  const meanSe = sd / Math.sqrt(n)
  // The standard error of a normal sample's deviation is about sd / √(2(n − 1)).
  const sdMove = SPREAD / Math.sqrt(2 * (n - 1))
  const worst = normalSurvival((z - (mean + SPREAD * meanSe)) / Math.max(sd * (1 + sdMove), 1))
  const best = normalSurvival((z - (mean - SPREAD * meanSe)) / Math.max(sd * Math.max(1 - sdMove, 0), 1))
  return worst <= settle.alpha / Math.max(settle.tests, 1) || best >= settle.alpha
}

/**
 * The placebo check of metrics spec §4: the same adjusted statistic on up to `count` random
 * pseudo-features matched to the feature's adopters, and where the feature's own z falls in
 * their distribution. With `settle` (the report's α and how many features it tests), placebos
 * are drawn in rounds (`PLACEBO_ROUND`) and the check stops once more draws could not change
 * whether the feature beats them (`settled`): each draw refits two models, and a feature far
 * from the line would otherwise spend most of the report's time there. Newton's method ends at
 * the same fits from any start; the propensity model starts from the feature's adopters per
 * activity code (`placeboPropensityStart`) and the return model from the feature's own.
 */
export function placeboCheck(
  pop: Population,
  exposed: Uint8Array,
  feature: AipwResult,
  opts: { count: number; seed: number; pools: Map<number, number[]>; design?: PlaceboDesign; settle?: { alpha: number; tests: number } },
): PlaceboCheck {
  const random = seededRandom(opts.seed)
  const zs: number[] = []
  let flagged = 0
  // The feature's fits may hold co-used columns after the population's: a start uses the leading ones.
  const start = { start: { propensity: placeboPropensityStart(pop, exposed), outcome: feature.outcome } }
  for (let drawn = 0; drawn < opts.count; ) {
    const round = opts.settle ? Math.min(PLACEBO_ROUND, opts.count - drawn) : opts.count
    for (let k = 0; k < round; k++) {
      const placebo = drawPlacebo(pop, exposed, opts.pools, random)
      const r = opts.design ? placeboEffect(pop, opts.design, placebo, start) : adjustedEffect(pop, placebo, null, start)
      if (r.z === null) continue
      zs.push(r.z)
      if (r.p !== null && r.p < 0.05 && r.z > 0) flagged += 1
    }
    drawn += round
    if (opts.settle && feature.z !== null && settled(zs, feature.z, opts.settle)) break
  }
  return summary(zs, flagged, feature)
}

/** Mean and sample deviation of the placebos' z (0 and 1 while there are too few). */
function moments(zs: readonly number[]): { mean: number; sd: number } {
  const mean = zs.length ? zs.reduce((s, z) => s + z, 0) / zs.length : 0
  const sd = zs.length > 1 ? Math.sqrt(zs.reduce((s, z) => s + (z - mean) ** 2, 0) / (zs.length - 1)) : 1
  return { mean, sd }
}

function summary(zs: readonly number[], flagged: number, feature: AipwResult): PlaceboCheck {
  const { mean, sd } = moments(zs)
  return {
    placebos: zs.length,
    flaggedShare: zs.length ? flagged / zs.length : 0,
    meanZ: mean,
    sdZ: sd,
    p: feature.z === null || zs.length === 0 ? null : normalSurvival((feature.z - mean) / Math.max(sd, 1)),
  }
}
