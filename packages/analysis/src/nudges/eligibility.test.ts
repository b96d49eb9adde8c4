import { describe, expect, it } from 'vitest'
import { dayIndex, localDayNumber, serverEligibility, type UserFacts } from './eligibility.js'

const nudge = { id: 'n_export', featureId: 'export', audience: { firstDays: 7, pages: [], plans: [] as string[], anonymous: false } }
const at = (iso: string) => Date.parse(iso)
const facts = (over: Partial<UserFacts> = {}): UserFacts => ({ firstSeenMs: at('2026-03-01T10:00:00Z'), usedFeatures: new Set(), plan: null, identified: true, ...over })

describe('server-side nudge eligibility', () => {
  it('counts calendar days in the project zone, not 24-hour windows', () => {
    expect(dayIndex(at('2026-03-01T23:30:00Z'), at('2026-03-02T00:10:00Z'), 'UTC')).toBe(1)
    expect(dayIndex(at('2026-03-01T00:10:00Z'), at('2026-03-01T23:50:00Z'), 'UTC')).toBe(0)
    // 23:30 UTC on 1 March is already 2 March in Berlin; 00:10 UTC on 2 March is the same Berlin day.
    expect(dayIndex(at('2026-03-01T23:30:00Z'), at('2026-03-02T00:10:00Z'), 'Europe/Berlin')).toBe(0)
    expect(localDayNumber(at('1970-01-02T00:00:00Z'), 'UTC')).toBe(1)
    expect(dayIndex(null, at('2026-03-02T00:00:00Z'), 'UTC')).toBe(0)
  })

  it('admits a new user who has not used the feature, through day N−1', () => {
    expect(serverEligibility(nudge, facts(), at('2026-03-01T12:00:00Z'), 'UTC')).toEqual({ nudgeId: 'n_export', eligible: true, reason: 'eligible', dayIndex: 0 })
    expect(serverEligibility(nudge, facts(), at('2026-03-07T23:59:00Z'), 'UTC')).toMatchObject({ eligible: true, dayIndex: 6 })
    expect(serverEligibility(nudge, facts(), at('2026-03-08T00:00:00Z'), 'UTC')).toMatchObject({ eligible: false, reason: 'not_new', dayIndex: 7 })
  })

  it('treats a user with nothing stored yet as new', () => {
    expect(serverEligibility(nudge, facts({ firstSeenMs: null }), at('2026-03-08T00:00:00Z'), 'UTC')).toMatchObject({ eligible: true, dayIndex: 0 })
  })

  it('refuses users who already used the target feature', () => {
    const used = facts({ usedFeatures: new Set(['export']) })
    expect(serverEligibility(nudge, used, at('2026-03-02T00:00:00Z'), 'UTC')).toMatchObject({ eligible: false, reason: 'used_feature' })
    const other = facts({ usedFeatures: new Set(['import']) })
    expect(serverEligibility(nudge, other, at('2026-03-02T00:00:00Z'), 'UTC').eligible).toBe(true)
  })

  it('checks plans when the audience names some, ignoring case and spaces', () => {
    const planned = { ...nudge, audience: { ...nudge.audience, plans: ['Pro', 'enterprise'] } }
    const now = at('2026-03-02T00:00:00Z')
    expect(serverEligibility(planned, facts({ plan: 'pro ' }), now, 'UTC').eligible).toBe(true)
    expect(serverEligibility(planned, facts({ plan: 'free' }), now, 'UTC')).toMatchObject({ eligible: false, reason: 'plan' })
    expect(serverEligibility(planned, facts({ plan: null }), now, 'UTC')).toMatchObject({ eligible: false, reason: 'plan' })
    expect(serverEligibility(nudge, facts({ plan: 'free' }), now, 'UTC').eligible).toBe(true)
  })

  it('leaves anonymous visitors out unless the nudge asks for them', () => {
    const now = at('2026-03-02T00:00:00Z')
    expect(serverEligibility(nudge, facts({ identified: false, firstSeenMs: null }), now, 'UTC')).toMatchObject({ eligible: false, reason: 'anonymous' })
    const open = { ...nudge, audience: { ...nudge.audience, anonymous: true } }
    expect(serverEligibility(open, facts({ identified: false, firstSeenMs: null }), now, 'UTC')).toMatchObject({ eligible: true, reason: 'eligible' })
    // A nudge stored before the setting existed has none: identified users only.
    const old = { ...nudge, audience: { firstDays: 7, pages: [], plans: [] } } as unknown as typeof nudge
    expect(serverEligibility(old, facts({ identified: false }), now, 'UTC').reason).toBe('anonymous')
    expect(serverEligibility(old, facts(), now, 'UTC').eligible).toBe(true)
  })

  it('shows nothing when the target feature is gone', () => {
    expect(serverEligibility(nudge, facts(), at('2026-03-02T00:00:00Z'), 'UTC', false)).toMatchObject({ eligible: false, reason: 'feature_missing' })
  })
})
