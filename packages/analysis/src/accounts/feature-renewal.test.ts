import { describe, expect, it } from 'vitest'
import { featureRenewal, type RenewalUsage } from './feature-renewal.js'

function rows(spec: [string[], boolean, number][]): RenewalUsage[] {
  return spec.flatMap(([features, renewed, count]) => Array.from({ length: count }, () => ({ renewed, features: new Set(features) })))
}

describe('feature × renewal', () => {
  it('compares renewal of users and non-users of each feature, with q-values and the flag', () => {
    // x: 40 of 50 users renewed vs 20 of 50 non-users. y: 30/50 vs 30/50.
    const data = rows([
      [['x', 'y'], true, 20], [['x'], true, 20], [['x', 'y'], false, 5], [['x'], false, 5],
      [['y'], true, 10], [[], true, 10], [['y'], false, 15], [[], false, 15],
      [['rare'], true, 0],
    ])
    data[0] = { renewed: true, features: new Set(['x', 'y', 'rare']) }
    const r = featureRenewal(data)
    expect(r.overall).toMatchObject({ k: 60, n: 100, rate: 0.6 })
    expect(r.features.map((f) => f.feature)).toEqual(['x', 'y'])
    const [x, y] = r.features
    expect([x!.comparison.group.k, x!.comparison.group.n, x!.comparison.baseline.k, x!.comparison.baseline.n]).toEqual([40, 50, 20, 50])
    expect(x!.comparison.lift).toBe(2)
    expect(x!.highRenewal).toBe(true)
    expect(x!.q!).toBeLessThan(0.001)
    expect(y!.comparison.lift).toBe(1)
    expect(y!.highRenewal).toBe(false)
    // BH over two tests: the larger p keeps its value, the smaller is doubled.
    expect(y!.q).toBeCloseTo(y!.comparison.p!, 12)
    expect(x!.q).toBeCloseTo(Math.min(x!.comparison.p! * 2, y!.comparison.p!), 12)
    expect(r.notEnoughData).toEqual([{ feature: 'rare', users: 1, nonUsers: 99 }])
    expect(r.note).toMatch(/not proof of cause/)
  })
})
