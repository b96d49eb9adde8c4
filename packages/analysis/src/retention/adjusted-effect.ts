import { aipwEffectOnExposed, type AipwResult, type AipwOptions } from '../stats/aipw.js'
import { cellKey, cellRow, type Population } from './covariates.js'

/**
 * The adjusted comparison of one exposure (a feature's adopters, or a placebo set) against the
 * rest of the population: people are grouped into cells of equal first-window covariates and the
 * doubly robust effect on the exposed is estimated on the cells. For one of the report's
 * features, `ownEvents[i]` (person i's events that were use of it) leave the event volume, and
 * an adopter's count of other features leaves it out, so using the feature does not by itself
 * move anyone into a busier cell.
 */
export function adjustedEffect(
  pop: Population,
  exposed: Uint8Array,
  ownEvents: Float64Array | null,
  opts: AipwOptions = {},
): AipwResult {
  const index = new Map<number, number>()
  const n1: number[] = []
  const k1: number[] = []
  const n0: number[] = []
  const k0: number[] = []
  const keys: number[] = []
  for (let i = 0; i < pop.size; i++) {
    const e = exposed[i]!
    const own = ownEvents !== null && e === 1
    const key = cellKey(pop, i, own ? ownEvents[i]! : 0, own ? 1 : 0)
    let c = index.get(key)
    if (c === undefined) {
      c = n1.length
      index.set(key, c)
      n1.push(0)
      k1.push(0)
      n0.push(0)
      k0.push(0)
      keys.push(key)
    }
    if (e === 1) {
      n1[c]! += 1
      k1[c]! += pop.retained[i]!
    } else {
      n0[c]! += 1
      k0[c]! += pop.retained[i]!
    }
  }
  const p = pop.columns
  const x = new Float64Array(keys.length * p)
  keys.forEach((key, c) => x.set(cellRow(pop, key), c * p))
  return aipwEffectOnExposed(
    { x, p, n1: Float64Array.from(n1), k1: Float64Array.from(k1), n0: Float64Array.from(n0), k0: Float64Array.from(k0) },
    opts,
  )
}
