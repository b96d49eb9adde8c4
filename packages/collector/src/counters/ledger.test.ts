import { describe, expect, it } from 'vitest'
import { CounterLedger } from './ledger.js'

const at = (iso: string) => Date.parse(iso)

describe('counter ledger', () => {
  it('adds deltas per project, UTC day, counter and reason', () => {
    const l = new CounterLedger()
    l.add('p1', 'events_accepted', '', 5, at('2026-03-01T23:59:59.999Z'))
    l.add('p1', 'events_accepted', '', 2, at('2026-03-01T00:00:00.000Z'))
    l.add('p1', 'events_accepted', '', 1, at('2026-03-02T00:00:00.000Z'))
    l.add('p1', 'events_rejected', 'invalid_event', 3, at('2026-03-01T12:00:00Z'))
    l.add('p1', 'events_rejected', 'event_too_large', 1, at('2026-03-01T12:00:00Z'))
    l.add('p2', 'events_accepted', '', 4, at('2026-03-01T12:00:00Z'))
    l.add('p2', 'events_bots', '', 0, at('2026-03-01T12:00:00Z'))
    expect(l.size).toBe(5)
    expect(l.pendingFor('p1', '2026-03-01', '2026-03-01')).toEqual([
      { project_id: 'p1', day: '2026-03-01', counter: 'events_accepted', reason: '', value: 7 },
      { project_id: 'p1', day: '2026-03-01', counter: 'events_rejected', reason: 'invalid_event', value: 3 },
      { project_id: 'p1', day: '2026-03-01', counter: 'events_rejected', reason: 'event_too_large', value: 1 },
    ])
    expect(l.pendingFor('p1', '2026-03-02', '2026-03-31')).toEqual([{ project_id: 'p1', day: '2026-03-02', counter: 'events_accepted', reason: '', value: 1 }])
    expect(l.pendingFor('p3', '2026-01-01', '2026-12-31')).toEqual([])
  })

  it('hands every delta over once', () => {
    const l = new CounterLedger()
    l.add('p1', 'events_spooled', '', 50, at('2026-03-01T10:00:00Z'))
    l.add('p2', 'events_spooled', '', 10, at('2026-03-01T10:00:00Z'))
    const taken = l.take()
    expect(taken.map((r) => [r.project_id, r.value])).toEqual([['p1', 50], ['p2', 10]])
    expect(l.size).toBe(0)
    expect(l.take()).toEqual([])
    l.add('p1', 'events_spooled', '', 1, at('2026-03-01T10:00:01Z'))
    expect(l.take()).toEqual([{ project_id: 'p1', day: '2026-03-01', counter: 'events_spooled', reason: '', value: 1 }])
  })
})
