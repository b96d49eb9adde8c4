import { describe, expect, it } from 'vitest'
import { sharingSentences } from './sharing-text.js'

describe('seat-sharing evidence in words', () => {
  it('says what overlapped, when and for how long, and how heavy the use is', () => {
    expect(sharingSentences({
      userId: 'u-7', reasons: ['overlapping_sessions', 'heavy_use'], overlapDays: 3,
      overlaps: [{ day: '2026-11-30', a: { session: 's1', device: 'desktop', start: '2026-11-30T09:00:00.000Z', end: '2026-11-30T10:30:00.000Z' }, b: { session: 's2', device: 'mobile', start: '2026-11-30T09:15:00.000Z', end: '2026-11-30T10:00:00.000Z' }, overlapSeconds: 2700 }],
      activity: { activeDays: 20, activeHours: 200, hoursPerActiveDay: 10, peerMedianHoursPerDay: 2.25, devices: 2, events: 900 },
    })).toEqual([
      'u-7 was signed in on two devices at the same time on 3 days. For example on 2026-11-30: a desktop session 09:00–10:30 and a mobile session 09:15–10:00 (UTC) overlapped for 45 minutes.',
      'u-7 is active 10 hours per active day, against a median of 2.3 hours for comparable people, on 2 devices.',
    ])
  })
})
