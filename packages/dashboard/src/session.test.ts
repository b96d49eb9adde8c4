import { describe, expect, it } from 'vitest'
import { Sessions } from './session.js'

describe('Sessions', () => {
  it('maps a random id to its project', () => {
    const s = new Sessions()
    const a = s.create('p1')
    const b = s.create('p2')
    expect(a).not.toBe(b)
    expect(a.length).toBeGreaterThanOrEqual(32)
    expect(s.get(a)?.projectId).toBe('p1')
    expect(s.get(b)?.projectId).toBe('p2')
    expect(s.get('nope')).toBeUndefined()
    expect(s.get(undefined)).toBeUndefined()
  })

  it('expires after idle time and after the maximum age, however active', () => {
    let now = 0
    const s = new Sessions({ idleMs: 100, maxAgeMs: 250, now: () => now })
    const id = s.create('p')
    now = 90
    expect(s.get(id)).toBeDefined()
    now = 180 // 90 since last seen
    expect(s.get(id)).toBeDefined()
    now = 260 // active, but older than the maximum age
    expect(s.get(id)).toBeUndefined()
    const idle = s.create('p')
    now = 361
    expect(s.get(idle)).toBeUndefined()
  })

  it('logs out and keeps at most maxSessions, dropping the oldest', () => {
    const s = new Sessions({ maxSessions: 2 })
    const a = s.create('p')
    const b = s.create('p')
    const c = s.create('p')
    expect(s.size).toBe(2)
    expect(s.get(a)).toBeUndefined()
    expect(s.get(b)).toBeDefined()
    s.delete(c)
    expect(s.get(c)).toBeUndefined()
  })
})
