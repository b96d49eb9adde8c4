import { describe, expect, it } from 'vitest'
import { ahaThreshold } from './aha-threshold.js'

describe('ahaThreshold', () => {
  it('is the smallest count no larger count beats significantly', () => {
    const b = [
      { uses: 0, users: 100, retained: 20 },
      { uses: 1, users: 100, retained: 25 },
      { uses: 2, users: 100, retained: 60 },
      { uses: 3, users: 100, retained: 62 },
      { uses: 4, users: 100, retained: 61 },
    ]
    expect(ahaThreshold(b, 30)).toBe(2)
  })

  it('is null when using the feature does not help, or when zero uses is too small to compare', () => {
    expect(
      ahaThreshold(
        [
          { uses: 0, users: 100, retained: 40 },
          { uses: 1, users: 100, retained: 42 },
        ],
        30,
      ),
    ).toBeNull()
    expect(
      ahaThreshold(
        [
          { uses: 0, users: 10, retained: 1 },
          { uses: 1, users: 100, retained: 90 },
        ],
        30,
      ),
    ).toBeNull()
  })

  it('ignores buckets below min_n', () => {
    const b = [
      { uses: 0, users: 100, retained: 20 },
      { uses: 1, users: 100, retained: 60 },
      { uses: 2, users: 5, retained: 5 },
    ]
    expect(ahaThreshold(b, 30)).toBe(1)
  })
})
