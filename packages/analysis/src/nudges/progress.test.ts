import { describe, expect, it } from 'vitest'
import { metricProgress, progressText } from './progress.js'

const asOfMs = Date.parse('2026-12-04T12:00:00Z')
const startedAt = '2026-11-24T12:00:00.000Z' // ten days before

describe('nudge report progress towards measurable lift', () => {
  it('counts the users each arm still needs and dates it at the rate since the start', () => {
    // 90 shown and 10 held out in 10 days: 9 and 1 a day. Held out needs 30 − 6 measured − 4 waiting = 20 more: 20 days, then a 7-day window.
    const p = metricProgress({ users: 90, measured: 60, waiting: 30 }, { users: 10, measured: 6, waiting: 4 }, { minN: 30, windowDays: 7, startedAt, asOfMs })
    expect(p.enough).toBe(false)
    expect(p.shown).toEqual({ measured: 60, waiting: 30, moreUsers: 0, perDay: 9 })
    expect(p.heldOut).toEqual({ measured: 6, waiting: 4, moreUsers: 20, perDay: 1 })
    expect(p.etaDays).toBe(27)
    expect(p.etaDate).toBe('2026-12-31')
    expect(progressText('Adoption', p, 30)).toBe(
      "Adoption: needs 20 more held-out users (besides 4 whose window is not over) to reach 30 per arm; at today's rate (shown 9.0 a day, held out 1.0 a day) about 2026-12-31, in 27 days.",
    )
  })

  it('waits only for the window when enough users are already in', () => {
    const p = metricProgress({ users: 40, measured: 10, waiting: 30 }, { users: 35, measured: 31, waiting: 4 }, { minN: 30, windowDays: 8, startedAt, asOfMs })
    expect(p.shown.moreUsers).toBe(0)
    expect(p.etaDays).toBe(8)
  })

  it('gives no date before users enter an arm, and says measurable once both arms are', () => {
    const none = metricProgress({ users: 5, measured: 0, waiting: 5 }, { users: 0, measured: 0, waiting: 0 }, { minN: 30, windowDays: 7, startedAt, asOfMs })
    expect(none.etaDays).toBeNull()
    expect(progressText('Adoption', none, 30)).toMatch(/no estimate of when until users enter both arms/)
    const done = metricProgress({ users: 50, measured: 40, waiting: 10 }, { users: 35, measured: 30, waiting: 5 }, { minN: 30, windowDays: 7, startedAt, asOfMs })
    expect(done).toMatchObject({ enough: true, etaDays: 0 })
    expect(progressText('Adoption', done, 30)).toBe('Adoption: measurable now.')
  })

  it('does not extrapolate from a start minutes ago', () => {
    const p = metricProgress({ users: 2, measured: 0, waiting: 2 }, { users: 1, measured: 0, waiting: 1 }, { minN: 30, windowDays: 7, startedAt: '2026-12-04T11:50:00Z', asOfMs })
    expect(p.shown.perDay).toBe(2)
    expect(p.etaDays).toBe(29 + 7)
  })
})
