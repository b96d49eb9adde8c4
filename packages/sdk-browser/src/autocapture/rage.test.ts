import { describe, expect, it } from 'vitest'
import { rageDetector } from './rage.js'

describe('rageDetector', () => {
  const a = {}
  const b = {}

  it('fires once at the third click on the same element within a second in total', () => {
    const rage = rageDetector()
    expect([rage(a, 0), rage(a, 200), rage(a, 400), rage(a, 600)]).toEqual([false, false, true, false])
  })

  it('does not fire for steady clicks about a second apart', () => {
    const rage = rageDetector()
    expect([0, 900, 1800, 2700, 3600].map((t) => rage(a, t))).toEqual([false, false, false, false, false])
    // 3 clicks spread over just over a second are not a burst either.
    const r2 = rageDetector()
    expect([r2(a, 0), r2(a, 500), r2(a, 1001)]).toEqual([false, false, false])
  })

  it('counts the same element only', () => {
    const rage = rageDetector()
    expect([rage(a, 0), rage(a, 100), rage(b, 200), rage(b, 300), rage(b, 400)]).toEqual([false, false, false, false, true])
  })

  it('fires again for a new burst after a pause', () => {
    const rage = rageDetector()
    expect([rage(a, 0), rage(a, 100), rage(a, 200), rage(a, 2000), rage(a, 2100), rage(a, 2200)]).toEqual([false, false, true, false, false, true])
  })
})
