/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (the Mann–Whitney U statistic over n₁·n₀).
 */
export interface AucResult {
  auc: number
  positives: number
  negatives: number
  /** 95% interval from the Hanley–McNeil (1982) standard error, clipped to [0, 1]. */
  low: number
  high: number
}

export function auc(scores: readonly number[], labels: readonly boolean[], z = 1.959963984540054): AucResult | null {
  if (scores.length !== labels.length) throw new Error('scores and labels differ in length')
  const n1 = labels.filter(Boolean).length
  const n0 = labels.length - n1
  if (n1 === 0 || n0 === 0) return null
  const order = scores.map((s, i) => ({ s, pos: labels[i]! })).sort((a, b) => a.s - b.s)
  let rankSumPos = 0
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && order[j + 1]!.s === order[i]!.s) j++
    const midRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) if (order[k]!.pos) rankSumPos += midRank
    i = j + 1
  }
  const a = (rankSumPos - (n1 * (n1 + 1)) / 2) / (n1 * n0)
  const q1 = a / (2 - a)
  const q2 = (2 * a * a) / (1 + a)
  const se = Math.sqrt(Math.max(0, (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0)))
  return { auc: a, positives: n1, negatives: n0, low: Math.max(0, a - z * se), high: Math.min(1, a + z * se) }
}
