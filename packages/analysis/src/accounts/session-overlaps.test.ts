import { describe, expect, it } from 'vitest'
import { sessionOverlaps, type SessionSpan } from './session-overlaps.js'

const span = (session: string, device: string, started: string, ended: string, userId = 'u1'): SessionSpan => ({
  account: 'acme', userId, session, device,
  startedMs: Date.parse(`${started.replace(' ', 'T')}Z`), endedMs: Date.parse(`${ended.replace(' ', 'T')}Z`),
})

describe('overlapping sessions of one user', () => {
  it('pairs spans that overlap long enough, lesser session first, counting whole seconds as the store does', () => {
    const rows = sessionOverlaps([
      span('s2', 'phone', '2025-03-03 09:30:00.900', '2025-03-03 10:30:00.000'),
      span('s1', 'laptop', '2025-03-03 09:00:00.000', '2025-03-03 09:35:01.100'),
      span('s3', 'laptop', '2025-03-03 11:00:00.000', '2025-03-03 12:00:00.000'),
      span('s9', 'laptop', '2025-03-03 09:00:00.000', '2025-03-03 12:00:00.000', 'u2'),
    ], 300)
    // 09:30:00.900 → 09:35:01.100 crosses 301 second boundaries (dateDiff('second') semantics).
    expect(rows).toEqual([{
      account: 'acme', userId: 'u1', day: '2025-03-03', overlapSeconds: 301,
      a: { session: 's1', device: 'laptop', start: '2025-03-03 09:00:00.000', end: '2025-03-03 09:35:01.100' },
      b: { session: 's2', device: 'phone', start: '2025-03-03 09:30:00.900', end: '2025-03-03 10:30:00.000' },
    }])
    // 09:30:00.500 → 09:34:59.900 crosses 299: too short.
    expect(sessionOverlaps([span('s1', 'laptop', '2025-03-03 09:00:00.000', '2025-03-03 09:34:59.900'), span('s2', 'phone', '2025-03-03 09:30:00.500', '2025-03-03 10:00:00.000')], 300)).toEqual([])
  })

  it('orders by account, user and first start, comparing text byte by byte', () => {
    const rows = sessionOverlaps([
      span('é', 'x', '2025-03-04 09:00:00.000', '2025-03-04 10:00:00.000'),
      span('z', 'x', '2025-03-04 09:00:00.000', '2025-03-04 10:00:00.000'),
      span('a', 'x', '2025-03-03 09:00:00.000', '2025-03-03 10:00:00.000'),
      span('b', 'x', '2025-03-03 09:10:00.000', '2025-03-03 10:00:00.000'),
    ], 60)
    expect(rows.map((r) => [r.day, r.a.session, r.b.session])).toEqual([['2025-03-03', 'a', 'b'], ['2025-03-04', 'z', 'é']])
  })
})
