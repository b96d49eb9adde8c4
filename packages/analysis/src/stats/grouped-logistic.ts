/**
 * Logistic regression on grouped binomial rows: row i has covariates x_i (flat, `p` per row),
 * `trials[i]` subjects of whom `successes[i]` had the outcome. Equivalent to the per-subject fit
 * with each subject repeated, but costs one pass per distinct covariate pattern, which is what
 * lets the high-retention report refit models for every feature and every placebo. Newton's
 * method with an L2 penalty λ/2·Σβ² on the coefficients (not the intercept), so that patterns
 * all in one class keep finite coefficients.
 */
export interface GroupedLogisticFit {
  /** β[0] = intercept, β[1..p] = coefficients. */
  beta: Float64Array
  iterations: number
  converged: boolean
}

export interface GroupedRows {
  /** Covariates, row-major, `p` numbers per row. */
  x: Float64Array
  p: number
  trials: Float64Array
  successes: Float64Array
  /** `sparseRows(x, p, m)`, when the caller fits the same covariates more than once. */
  sparse?: SparseRows
}

/**
 * Each row's non-zero positions, the intercept (position 0) first and covariate a at a + 1, in
 * ascending order. Dummy-coded covariates are mostly 0, so fits and predictions walk these only.
 */
export interface SparseRows {
  start: Int32Array
  index: Int32Array
  value: Float64Array
}

export function sparseRows(x: Float64Array, p: number, m: number): SparseRows {
  const start = new Int32Array(m + 1)
  const index: number[] = []
  const value: number[] = []
  for (let i = 0; i < m; i++) {
    index.push(0)
    value.push(1)
    for (let a = 0; a < p; a++) {
      const v = x[i * p + a]!
      if (v !== 0) {
        index.push(a + 1)
        value.push(v)
      }
    }
    start[i + 1] = index.length
  }
  return { start, index: Int32Array.from(index), value: Float64Array.from(value) }
}

export function fitGroupedLogistic(
  rows: GroupedRows,
  opts: {
    l2?: number
    maxIterations?: number
    tolerance?: number
    /**
     * Where Newton's method starts: β[0], β[1], … as far as it goes, 0 beyond (a related fit on the
     * same leading covariates, with fewer or more after them). The fit it ends at is the same.
     */
    start?: Float64Array
  } = {},
): GroupedLogisticFit {
  const { x, p, trials, successes } = rows
  const m = trials.length
  if (x.length !== m * p || successes.length !== m) throw new Error('rows, trials and successes differ in length')
  const l2 = opts.l2 ?? 1
  const maxIterations = opts.maxIterations ?? 50
  const tolerance = opts.tolerance ?? 1e-9
  const q = p + 1
  const beta = new Float64Array(q)
  if (opts.start) beta.set(opts.start.subarray(0, q))
  const h = new Float64Array(q * q)
  const g = new Float64Array(q)
  const { start: nzStart, index: nzIdx, value: nzVal } = rows.sparse ?? sparseRows(x, p, m)
  for (let iter = 1; iter <= maxIterations; iter++) {
    h.fill(0)
    g.fill(0)
    for (let i = 0; i < m; i++) {
      const n = trials[i]!
      if (n === 0) continue
      const s = nzStart[i]!
      const e = nzStart[i + 1]!
      let eta = 0
      for (let j = s; j < e; j++) eta += nzVal[j]! * beta[nzIdx[j]!]!
      const mu = sigmoid(eta)
      const w = n * Math.max(mu * (1 - mu), 1e-12)
      const r = successes[i]! - n * mu
      // Positions ascend within a row, so (a, b) with b ≤ a fills the lower triangle.
      for (let j = s; j < e; j++) {
        const a = nzIdx[j]!
        const va = nzVal[j]!
        g[a]! += va * r
        const wa = w * va
        for (let k = s; k <= j; k++) h[a * q + nzIdx[k]!]! += wa * nzVal[k]!
      }
    }
    for (let a = 1; a < q; a++) {
      h[a * q + a]! += l2
      g[a]! -= l2 * beta[a]!
    }
    const step = solveSymmetric(h, g, q)
    let largest = 0
    for (let a = 0; a < q; a++) {
      beta[a]! += step[a]!
      largest = Math.max(largest, Math.abs(step[a]!))
    }
    if (largest < tolerance) return { beta, iterations: iter, converged: true }
  }
  return { beta, iterations: maxIterations, converged: false }
}

/** The fitted probability of row `i` of `x` (p covariates per row). */
export function groupedPredict(fit: GroupedLogisticFit, x: Float64Array, p: number, i: number): number {
  let eta = fit.beta[0]!
  for (let a = 0; a < p; a++) eta += x[i * p + a]! * fit.beta[a + 1]!
  return sigmoid(eta)
}

/**
 * `groupedPredict` on the row's non-zero positions: the terms left out are 0·β, which move the
 * sum by a signed zero at most, and the logistic function maps ±0 alike.
 */
export function sparsePredict(fit: GroupedLogisticFit, rows: SparseRows, i: number): number {
  let eta = fit.beta[0]!
  for (let j = rows.start[i]! + 1; j < rows.start[i + 1]!; j++) eta += rows.value[j]! * fit.beta[rows.index[j]!]!
  return sigmoid(eta)
}

function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t))
}

/** Cholesky solve of H·v = g, H given by its lower triangle (positive definite with λ > 0). */
function solveSymmetric(h: Float64Array, g: Float64Array, q: number): Float64Array {
  const l = new Float64Array(q * q)
  for (let i = 0; i < q; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * q + j]!
      for (let k = 0; k < j; k++) s -= l[i * q + k]! * l[j * q + k]!
      if (i === j) {
        // A covariate constant over every row (and unpenalised) leaves H singular: keep the step finite.
        l[i * q + i] = Math.sqrt(Math.max(s, 1e-12))
      } else l[i * q + j] = s / l[j * q + j]!
    }
  }
  const y = new Float64Array(q)
  for (let i = 0; i < q; i++) {
    let s = g[i]!
    for (let k = 0; k < i; k++) s -= l[i * q + k]! * y[k]!
    y[i] = s / l[i * q + i]!
  }
  const v = new Float64Array(q)
  for (let i = q - 1; i >= 0; i--) {
    let s = y[i]!
    for (let k = i + 1; k < q; k++) s -= l[k * q + i]! * v[k]!
    v[i] = s / l[i * q + i]!
  }
  return v
}
