import { describe, expect, it } from 'vitest'
import { benjaminiHochberg } from './bh.js'

describe('benjaminiHochberg', () => {
  it('reproduces the 15 p-values of Benjamini & Hochberg (1995): four discoveries at 0.05', () => {
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1]
    const q = benjaminiHochberg(p) as number[]
    const expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06386, 0.06386, 0.0645, 0.0765, 0.486, 0.58118, 0.71488, 0.75323, 0.81321, 1]
    q.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5))
    expect(q.filter((v) => v < 0.05)).toHaveLength(4)
  })

  it('keeps input order and leaves untested entries out of m', () => {
    expect(benjaminiHochberg([0.01, null, 0.04, 0.03, 0.005])).toEqual([0.02, null, 0.04, 0.04, 0.02])
    expect(benjaminiHochberg([])).toEqual([])
  })

  it('rejects p-values outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.2, 1.2])).toThrow(RangeError)
  })
})
