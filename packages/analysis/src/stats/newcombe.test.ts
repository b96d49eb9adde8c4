import { describe, expect, it } from 'vitest'
import { newcombeDifference } from './newcombe.js'

// Newcombe (1998), "Interval estimation for the difference between independent proportions:
// comparison of eleven methods", Statistics in Medicine 17:873–890, Table II, method 10.
const published: [number, number, number, number, number, number][] = [
  [56, 70, 48, 80, 0.0524, 0.3339],
  [9, 10, 3, 10, 0.1705, 0.809],
  [6, 7, 2, 7, 0.0582, 0.8062],
  [5, 56, 0, 29, -0.0381, 0.1926],
  [0, 10, 0, 20, -0.1611, 0.2775],
  [0, 10, 0, 10, -0.2775, 0.2775],
  [10, 10, 0, 20, 0.6791, 1],
  [10, 10, 0, 10, 0.6075, 1],
]

describe('newcombeDifference', () => {
  it.each(published)('%i/%i − %i/%i → [%f, %f]', (k1, n1, k2, n2, low, high) => {
    const d = newcombeDifference(k1, n1, k2, n2)
    expect(d.diff).toBeCloseTo(k1 / n1 - k2 / n2, 12)
    expect(d.low).toBeCloseTo(low, 4)
    expect(d.high).toBeCloseTo(high, 4)
  })

  it('is undefined when a group is empty', () => {
    expect(newcombeDifference(1, 2, 0, 0)).toEqual({ diff: null, low: null, high: null })
  })
})
