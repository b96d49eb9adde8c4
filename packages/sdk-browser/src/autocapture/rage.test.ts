import { describe, expect, it } from 'vitest'
import { rageDetector } from './rage.js'

describe('rageDetector', () => {
  it('fires once at the third quick click in the same spot', () => {
    const rage = rageDetector()
    expect([rage(10, 10, 0), rage(12, 11, 200), rage(11, 12, 400), rage(10, 10, 600)]).toEqual([false, false, true, false])
  })

  it('needs every gap within a second', () => {
    const rage = rageDetector()
    expect([rage(0, 0, 0), rage(0, 0, 1001), rage(0, 0, 1500), rage(0, 0, 2000)]).toEqual([false, false, false, true])
  })

  it('restarts the burst when a click lands more than 30 px away', () => {
    const rage = rageDetector()
    expect([rage(0, 0, 0), rage(0, 0, 100), rage(40, 0, 200), rage(40, 0, 300), rage(40, 0, 400)]).toEqual([false, false, false, false, true])
  })

  it('fires again for a new burst', () => {
    const rage = rageDetector({ count: 2, gapMs: 100, radiusPx: 5 })
    expect([rage(0, 0, 0), rage(0, 0, 50), rage(0, 0, 500), rage(0, 0, 550)]).toEqual([false, true, false, true])
  })
})
