import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { medianWithout } from './seat-sharing.js'

/** The median of a list, the plain way: what a person's peers' median was computed as, copying the list per person. */
function plainMedian(xs: number[]): number {
  if (xs.length === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

describe('the median of an account\'s other people', () => {
  it('equals the median of the list with that person left out, ties and repeats included', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 24, noNaN: true })), { minLength: 1, maxLength: 40 }), (rates) => {
      const sorted = [...rates].sort((a, b) => a - b)
      rates.forEach((r, i) => {
        expect(medianWithout(sorted, r)).toBe(plainMedian(rates.filter((_, j) => j !== i)))
      })
    }), { numRuns: 300 })
  })
})
