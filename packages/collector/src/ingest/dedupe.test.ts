import { describe, expect, it } from 'vitest'
import { RecentIds, RETRY_TIME_SLACK_MS } from './dedupe.js'

describe('RecentIds', () => {
  it('remembers ids per project, forgets the oldest past the bound, and forgets on request', () => {
    const ids = new RecentIds(2)
    expect(ids.add('p', 'a')).toBe(true)
    expect(ids.add('p', 'a')).toBe(false)
    expect(ids.add('q', 'a')).toBe(true)
    expect(ids.add('p', 'b')).toBe(true)
    expect(ids.add('p', 'c')).toBe(true) // evicts 'a'
    expect(ids.add('p', 'a')).toBe(true)
    ids.remove('p', ['c'])
    expect(ids.add('p', 'c')).toBe(true)
  })

  it('knows since when it remembers every id, and which events may have been stored before that', () => {
    const ids = new RecentIds(2, 1_000_000)
    expect(ids.coveredSince('p')).toBe(1_000_000)
    // Before the start (give or take the slack) a copy may be stored; well after it, not.
    expect(ids.mayBeStored('p', 1_000_000 - 86_400_000)).toBe(true)
    expect(ids.mayBeStored('p', 1_000_000 + RETRY_TIME_SLACK_MS - 1)).toBe(true)
    expect(ids.mayBeStored('p', 1_000_000 + RETRY_TIME_SLACK_MS)).toBe(false)
    ids.add('p', 'a', 2_000_000)
    ids.add('p', 'b', 3_000_000)
    expect(ids.coveredSince('p')).toBe(1_000_000)
    // Forgetting 'a' (received at 2 000 000) to make room: ids received until then may be gone.
    ids.add('p', 'c', 4_000_000)
    expect(ids.coveredSince('p')).toBe(2_000_000)
    expect(ids.mayBeStored('p', 2_000_000 + RETRY_TIME_SLACK_MS - 1)).toBe(true)
    expect(ids.coveredSince('q')).toBe(1_000_000)
    // A removed id's slot forgets nothing that was acknowledged.
    ids.remove('p', ['b'])
    ids.add('p', 'd', 5_000_000)
    expect(ids.coveredSince('p')).toBe(2_000_000)
  })

  it('remembers every id of the last span at any rate, up to its most', () => {
    const ids = new RecentIds(2, 0, { maxIds: 5, spanMs: 1_000 })
    for (let i = 0; i < 4; i++) expect(ids.add('p', `a${i}`, 10_000 + i)).toBe(true)
    // Four ids within the span: none forgotten, so nothing received since the start can be stored.
    expect(ids.coveredSince('p')).toBe(0)
    for (let i = 0; i < 4; i++) expect(ids.add('p', `a${i}`, 10_500)).toBe(false)
    // More than the span later the old ids may go, down to the size, two with each new id.
    ids.add('p', 'b0', 11_500)
    expect(ids.coveredSince('p')).toBe(10_001)
    expect([ids.add('p', 'a3', 11_501), ids.add('p', 'a0', 11_501)]).toEqual([false, true])
    // The most is kept even within the span.
    for (let i = 1; i < 6; i++) ids.add('p', `b${i}`, 11_010 + i)
    expect(ids.coveredSince('p')).toBeGreaterThan(11_000)
    expect(ids.add('p', 'b5', 11_020)).toBe(false)
  })

  it('looks for copies of what the store held at the start only, when it knows when that was received', () => {
    const ids = new RecentIds(2, 1_000_000)
    ids.storedUntil(400_000)
    expect(ids.coveredSince('p')).toBe(400_000)
    expect(ids.mayBeStored('p', 400_000 + RETRY_TIME_SLACK_MS - 1)).toBe(true)
    expect(ids.mayBeStored('p', 1_000_000)).toBe(false)
    // A later instant never widens what is looked up.
    ids.storedUntil(900_000)
    expect(ids.coveredSince('p')).toBe(400_000)
    // Forgetting an id moves the project's cover as before.
    for (const [i, id] of ['a', 'b', 'c'].entries()) ids.add('p', id, 1_000_000 + i)
    expect(ids.coveredSince('p')).toBe(1_000_000)
    expect(ids.coveredSince('q')).toBe(400_000)
  })
})
