import { describe, expect, it } from 'vitest'
import { capAllows, decide, pageMatches } from './decide.js'
import { isHeldOut } from './hash.js'
import type { NudgeSpec } from './types.js'

const HOUR = 3_600_000
const spec = (over: Partial<NudgeSpec> = {}): NudgeSpec => ({
  id: 'n_export',
  pages: [],
  placement: { type: 'banner', position: 'bottom' },
  copy: { body: 'Try export' },
  frequency: { maxShows: 3, minHoursBetween: 24 },
  holdoutShare: 0,
  ...over,
})
// A user the hash puts in the shown arm, and one it holds out, at a 50% share.
const SHOWN_USER = Array.from({ length: 100 }, (_, i) => `u${i}`).find((u) => !isHeldOut(u, 'n_export', 0.5))!
const HELD_USER = Array.from({ length: 100 }, (_, i) => `u${i}`).find((u) => isHeldOut(u, 'n_export', 0.5))!
const ctx = (over: Partial<{ eligible: boolean; path: string; now: number; userKey: string }> = {}) => ({
  eligible: true, path: '/reports', now: 100 * HOUR, userKey: SHOWN_USER, ...over,
})

describe('frequency cap', () => {
  const f = { maxShows: 3, minHoursBetween: 24 }
  it('allows a first showing, then waits the interval, then stops at the maximum', () => {
    expect(capAllows({}, f, 0)).toBe(true)
    expect(capAllows({ s: 1, t: 0 }, f, 24 * HOUR - 1)).toBe(false)
    expect(capAllows({ s: 1, t: 0 }, f, 24 * HOUR)).toBe(true)
    expect(capAllows({ s: 2, t: 0 }, f, 1000 * HOUR)).toBe(true)
    expect(capAllows({ s: 3, t: 0 }, f, 1000 * HOUR)).toBe(false)
  })
  it('with no interval, counts showings only', () => {
    const g = { maxShows: 2, minHoursBetween: 0 }
    expect(capAllows({ s: 1, t: 5 }, g, 5)).toBe(true)
    expect(capAllows({ s: 2, t: 5 }, g, 5)).toBe(false)
  })
})

describe('page patterns', () => {
  it('matches the compiled patterns the collector sends, any page when none', () => {
    expect(pageMatches([], '/anything')).toBe(true)
    expect(pageMatches(['^/reports/.*/?$'], '/reports/42')).toBe(true)
    expect(pageMatches(['^/reports/[^/]*/?$'], '/reports/42/edit')).toBe(false)
    expect(pageMatches(['^/settings/?$', '^/reports/?$'], '/reports/')).toBe(true)
    expect(pageMatches(['(unclosed'], '/reports')).toBe(false)
  })
})

describe('local eligibility', () => {
  it('shows to an eligible user on a matching page', () => {
    expect(decide(spec(), {}, ctx())).toBe('show')
  })
  it('never shows when the collector says no, after dismissal, a click, or use of the feature', () => {
    expect(decide(spec(), {}, ctx({ eligible: false }))).toBe('skip')
    expect(decide(spec(), { d: 1 }, ctx())).toBe('skip')
    expect(decide(spec(), { c: 1 }, ctx())).toBe('skip')
    expect(decide(spec(), { u: 1 }, ctx())).toBe('skip')
  })
  it('only on matching pages', () => {
    expect(decide(spec({ pages: ['^/settings/?$'] }), {}, ctx())).toBe('skip')
    expect(decide(spec({ pages: ['^/settings/?$'] }), {}, ctx({ path: '/settings' }))).toBe('show')
  })
  it('holds out by the hash, before the cap, and keeps the arm once decided', () => {
    const half = spec({ holdoutShare: 0.5 })
    expect(decide(half, {}, ctx({ userKey: HELD_USER }))).toBe('hold_out')
    expect(decide(half, { s: 3, t: 0 }, ctx({ userKey: HELD_USER }))).toBe('hold_out')
    expect(decide(half, {}, ctx({ userKey: SHOWN_USER }))).toBe('show')
    // Same user, every reload: the same answer.
    for (let i = 0; i < 5; i++) expect(decide(half, {}, ctx({ userKey: HELD_USER }))).toBe('hold_out')
    // identify() changes the user key; the remembered arm wins.
    expect(decide(half, { a: 's' }, ctx({ userKey: HELD_USER }))).toBe('show')
    expect(decide(half, { a: 'h' }, ctx({ userKey: SHOWN_USER }))).toBe('hold_out')
  })
  it('respects the frequency cap', () => {
    expect(decide(spec(), { s: 1, t: 99 * HOUR }, ctx())).toBe('skip')
    expect(decide(spec(), { s: 1, t: 76 * HOUR }, ctx())).toBe('show')
    expect(decide(spec(), { s: 3, t: 0 }, ctx())).toBe('skip')
  })
})
