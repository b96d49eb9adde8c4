import { describe, expect, it } from 'vitest'
import { Metrics } from './metrics.js'

describe('metrics per project', () => {
  it('counts event counters for the project named, and every call for the collector', () => {
    const m = new Metrics()
    m.inc('events_accepted', 10, 'p1')
    m.inc('events_accepted', 5, 'p2')
    m.inc('events_replayed', 3) // a record whose project is unknown
    m.inc('insert_failures', 1, 'p1') // not an event counter: the collector's only
    m.reject('invalid_event', 2, 'p1')
    m.reject('timestamp_too_old', 1, 'p1')
    expect(m.get('events_accepted')).toBe(15)
    expect(m.get('events_replayed')).toBe(3)
    expect(m.get('insert_failures')).toBe(1)
    const p1 = m.projectSnapshot('p1')
    expect(p1.counters).toMatchObject({ events_accepted: 10, events_replayed: 0, events_bots: 0 })
    expect(p1.rejected).toEqual({ invalid_event: 2, timestamp_too_old: 1 })
    expect(m.projectSnapshot('p3').counters.events_accepted).toBe(0)
    // The deltas to write: one per project, counter and reason.
    expect(m.ledger.take().map((r) => [r.project_id, r.counter, r.reason, r.value]).sort()).toEqual([
      ['p1', 'events_accepted', '', 10],
      ['p1', 'events_rejected', 'invalid_event', 2],
      ['p1', 'events_rejected', 'timestamp_too_old', 1],
      ['p2', 'events_accepted', '', 5],
    ])
  })

  it('keeps the collector-wide series and adds per-project ones under their own names', () => {
    const m = new Metrics()
    m.inc('events_accepted', 4, 'p"1')
    m.reject('invalid_event', 1, 'p"1')
    const text = m.prometheus()
    expect(text).toContain('\ntenure_events_accepted_total 4\n')
    expect(text).toContain('\ntenure_events_rejected_total{reason="invalid_event"} 1\n')
    expect(text).toContain('\ntenure_project_events_accepted_total{project="p\\"1"} 4\n')
    expect(text).toContain('\ntenure_project_events_bots_total{project="p\\"1"} 0\n')
    expect(text).toContain('\ntenure_project_events_rejected_total{project="p\\"1",reason="invalid_event"} 1\n')
  })
})
