/**
 * Logistic regression by iteratively reweighted least squares (Newton's method) with an L2 penalty
 * on the coefficients (not the intercept). The penalty keeps the fit finite when the classes are
 * separable, which small books of renewals often are.
 */
export interface LogisticFit {
  intercept: number
  coefficients: number[]
  iterations: number
  converged: boolean
}

export interface LogisticOptions {
  /** L2 penalty λ: minimises −log-likelihood + λ/2 · Σβ². */
  l2?: number
  maxIterations?: number
  tolerance?: number
}

export function fitLogistic(x: readonly (readonly number[])[], y: readonly boolean[], opts: LogisticOptions = {}): LogisticFit {
  const n = x.length
  if (n === 0 || n !== y.length) throw new Error('need as many outcomes as rows, and at least one row')
  const p = x[0]!.length + 1
  const l2 = opts.l2 ?? 1
  const maxIterations = opts.maxIterations ?? 100
  const tolerance = opts.tolerance ?? 1e-10
  const rows = x.map((r) => {
    if (r.length !== p - 1) throw new Error('rows differ in length')
    return [1, ...r]
  })
  let beta = new Array<number>(p).fill(0)
  for (let iter = 1; iter <= maxIterations; iter++) {
    // Newton step: (XᵀWX + λI′) Δ = Xᵀ(y − μ) − λβ′, with I′ and β′ leaving the intercept unpenalised.
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0))
    const gradient = new Array<number>(p).fill(0)
    for (let i = 0; i < n; i++) {
      const row = rows[i]!
      const mu = sigmoid(dot(row, beta))
      const w = Math.max(mu * (1 - mu), 1e-12)
      const resid = (y[i] ? 1 : 0) - mu
      for (let a = 0; a < p; a++) {
        gradient[a]! += row[a]! * resid
        for (let b = 0; b <= a; b++) hessian[a]![b]! += w * row[a]! * row[b]!
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) hessian[b]![a] = hessian[a]![b]!
      if (a > 0) {
        hessian[a]![a]! += l2
        gradient[a]! -= l2 * beta[a]!
      }
    }
    const step = solve(hessian, gradient)
    beta = beta.map((b, k) => b + step[k]!)
    if (Math.max(...step.map(Math.abs)) < tolerance) return { intercept: beta[0]!, coefficients: beta.slice(1), iterations: iter, converged: true }
  }
  return { intercept: beta[0]!, coefficients: beta.slice(1), iterations: maxIterations, converged: false }
}

export function predictLogistic(fit: LogisticFit, row: readonly number[]): number {
  return sigmoid(fit.intercept + dot(row, fit.coefficients))
}

export function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t))
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** Solves A·v = b by Gaussian elimination with partial pivoting (A is small and, with λ > 0, positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]!])
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r
    if (Math.abs(m[pivot]![col]!) < 1e-300) throw new Error('singular system: a component is constant or duplicated and λ = 0')
    ;[m[col], m[pivot]] = [m[pivot]!, m[col]!]
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!
    }
  }
  const v = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * v[c]!
    v[r] = s / m[r]![r]!
  }
  return v
}
