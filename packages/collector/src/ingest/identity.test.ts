import { describe, expect, it } from 'vitest'
import { IdentityTracker } from './identity.js'
import type { EventRow } from './rows.js'

const ev = (over: Partial<EventRow>): EventRow => ({ project_id: 'p', anonymous_id: 'a', user_id: '', account_id: '', event: '$click', timestamp: 't0', ...over }) as EventRow

describe('IdentityTracker', () => {
  it('writes each mapping once, and again when it changes', () => {
    const t = new IdentityTracker(100)
    const first = t.rowsFor([
      ev({ account_id: 'acme', timestamp: 't1' }), // anonymous visitor of a known account
      ev({ user_id: 'u', event: '$identify', timestamp: 't2' }),
      ev({ user_id: 'u', account_id: 'acme', timestamp: 't3' }),
      ev({ user_id: 'u', account_id: 'acme', timestamp: 't4' }),
    ])
    expect(first.aliases).toEqual([{ project_id: 'p', anonymous_id: 'a', user_id: 'u', updated_at: 't2' }])
    expect(first.accounts).toEqual([
      { project_id: 'p', user_id: 'a', account_id: 'acme', updated_at: 't1' },
      { project_id: 'p', user_id: 'u', account_id: 'acme', updated_at: 't3' },
    ])
    const later = t.rowsFor([ev({ user_id: 'u', account_id: 'acme' }), ev({ user_id: 'u', account_id: 'globex', timestamp: 't9' })])
    expect(later).toEqual({ aliases: [], accounts: [{ project_id: 'p', user_id: 'u', account_id: 'globex', updated_at: 't9' }] })
    t.forget([ev({ user_id: 'u', account_id: 'globex' })])
    expect(t.rowsFor([ev({ user_id: 'u', account_id: 'globex', timestamp: 't10' })]).accounts).toHaveLength(1)
  })
})
