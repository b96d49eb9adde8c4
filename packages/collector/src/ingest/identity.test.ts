import { describe, expect, it } from 'vitest'
import { IdentityTracker } from './identity.js'
import type { EventRow } from './rows.js'

const ev = (over: Partial<EventRow>): EventRow => ({ project_id: 'p', anonymous_id: 'a', user_id: '', account_id: '', event: '$click', timestamp: '2026-03-01 10:00:00.000', ...over }) as EventRow
const at = (day: number, time = '10:00:00.000') => `2026-03-0${day} ${time}`

/** The account a reader resolves: that of the row with the latest updated_at. */
function latest(rows: { account_id: string; updated_at: string }[]): string | undefined {
  return [...rows].sort((a, b) => (a.updated_at < b.updated_at ? -1 : 1)).at(-1)?.account_id
}

describe('IdentityTracker', () => {
  it('writes each mapping once per hour of event time, and again when it changes', () => {
    const t = new IdentityTracker(100)
    const first = t.rowsFor([
      ev({ account_id: 'acme', timestamp: at(1, '10:00:01.000') }), // anonymous visitor of a known account
      ev({ user_id: 'u', event: '$identify', timestamp: at(1, '10:00:02.000') }),
      ev({ user_id: 'u', account_id: 'acme', timestamp: at(1, '10:00:03.000') }),
      ev({ user_id: 'u', account_id: 'acme', timestamp: at(1, '10:00:04.000') }),
    ])
    expect(first.aliases).toEqual([{ project_id: 'p', anonymous_id: 'a', user_id: 'u', updated_at: at(1, '10:00:02.000') }])
    expect(first.accounts).toEqual([
      { project_id: 'p', user_id: 'a', account_id: 'acme', updated_at: at(1, '10:00:01.000') },
      { project_id: 'p', user_id: 'u', account_id: 'acme', updated_at: at(1, '10:00:03.000') },
    ])
    const later = t.rowsFor([ev({ user_id: 'u', account_id: 'acme', timestamp: at(1, '10:30:00.000') }), ev({ user_id: 'u', account_id: 'globex', timestamp: at(1, '10:40:00.000') })])
    expect(later).toEqual({ aliases: [], accounts: [{ project_id: 'p', user_id: 'u', account_id: 'globex', updated_at: at(1, '10:40:00.000') }] })
    expect(t.rowsFor([ev({ user_id: 'u', account_id: 'globex', timestamp: at(1, '11:05:00.000') })]).accounts).toHaveLength(1)
    t.forget([ev({ user_id: 'u', account_id: 'globex' })])
    expect(t.rowsFor([ev({ user_id: 'u', account_id: 'globex', timestamp: at(1, '11:06:00.000') })]).accounts).toHaveLength(1)
  })

  it('leaves the latest membership by event time last, whatever order batches arrive in', () => {
    // Grouped into A on day 2, B on day 3, A again on day 4 (several events a day).
    const days: Record<number, EventRow[]> = {
      2: [ev({ user_id: 'u', account_id: 'A', timestamp: at(2) }), ev({ user_id: 'u', account_id: 'A', timestamp: at(2, '10:05:00.000') })],
      3: [ev({ user_id: 'u', account_id: 'B', timestamp: at(3) }), ev({ user_id: 'u', account_id: 'B', timestamp: at(3, '10:05:00.000') })],
      4: [ev({ user_id: 'u', account_id: 'A', timestamp: at(4) }), ev({ user_id: 'u', account_id: 'A', timestamp: at(4, '10:05:00.000') })],
    }
    for (const order of [[2, 3, 4], [3, 2, 4], [4, 3, 2], [3, 4, 2], [4, 2, 3], [2, 4, 3]]) {
      const t = new IdentityTracker(100)
      const rows = order.flatMap((d) => t.rowsFor(days[d]!).accounts)
      expect(latest(rows), `order ${order.join(',')}`).toBe('A')
    }
  })
})
