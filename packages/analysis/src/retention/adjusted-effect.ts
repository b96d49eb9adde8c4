import { aipwEffectOnExposed, type AipwResult, type AipwOptions } from '../stats/aipw.js'
import { sparseRows, type SparseRows } from '../stats/grouped-logistic.js'
import { cellKey, cellRow, type Population } from './covariates.js'

/**
 * The cells of a comparison in which no one's own events leave their volume, as every placebo
 * is: each person's cell is then the same whoever is exposed, so the cells, their order (of first
 * appearance) and their covariates are built once and a placebo only counts its exposed.
 */
export interface PlaceboDesign {
  cellOf: Int32Array
  x: Float64Array
  p: number
  sparse: SparseRows
  /** People and people retained per cell. */
  people: Float64Array
  retained: Float64Array
}

export function placeboDesign(pop: Population): PlaceboDesign {
  const index = new Map<number, number>()
  const keys: number[] = []
  const cellOf = new Int32Array(pop.size)
  for (let i = 0; i < pop.size; i++) {
    const key = cellKey(pop, i, 0, 0)
    let c = index.get(key)
    if (c === undefined) {
      c = keys.length
      index.set(key, c)
      keys.push(key)
    }
    cellOf[i] = c
  }
  const p = pop.columns
  const x = new Float64Array(keys.length * p)
  keys.forEach((key, c) => x.set(cellRow(pop, key), c * p))
  const people = new Float64Array(keys.length)
  const retained = new Float64Array(keys.length)
  for (let i = 0; i < pop.size; i++) {
    people[cellOf[i]!]! += 1
    retained[cellOf[i]!]! += pop.retained[i]!
  }
  return { cellOf, x, p, sparse: sparseRows(x, p, keys.length), people, retained }
}

/** `adjustedEffect(pop, exposed, null, opts)` on a prepared design: the same cells, the same result. */
export function placeboEffect(pop: Population, design: PlaceboDesign, exposed: Uint8Array, opts: AipwOptions = {}): AipwResult {
  const m = design.people.length
  const n1 = new Float64Array(m)
  const k1 = new Float64Array(m)
  for (let i = 0; i < pop.size; i++) {
    if (exposed[i] !== 1) continue
    const c = design.cellOf[i]!
    n1[c]! += 1
    k1[c]! += pop.retained[i]!
  }
  const n0 = new Float64Array(m)
  const k0 = new Float64Array(m)
  for (let c = 0; c < m; c++) {
    n0[c] = design.people[c]! - n1[c]!
    k0[c] = design.retained[c]! - k1[c]!
  }
  return aipwEffectOnExposed({ x: design.x, p: design.p, n1, k1, n0, k0, sparse: design.sparse }, opts)
}

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
  coUsed: readonly Uint8Array[] = [],
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
    let key = cellKey(pop, i, own ? ownEvents[i]! : 0, own ? 1 : 0)
    for (const g of coUsed) key = key * 2 + g[i]!
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
  const p = pop.columns + coUsed.length
  const x = new Float64Array(keys.length * p)
  keys.forEach((key, c) => {
    let base = key
    for (let j = coUsed.length - 1; j >= 0; j--) {
      const bit = base % 2
      x[c * p + pop.columns + j] = bit
      base = (base - bit) / 2
    }
    x.set(cellRow(pop, base), c * p)
  })
  return aipwEffectOnExposed(
    { x, p, n1: Float64Array.from(n1), k1: Float64Array.from(k1), n0: Float64Array.from(n0), k0: Float64Array.from(k0) },
    opts,
  )
}
