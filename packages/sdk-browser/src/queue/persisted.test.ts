import { beforeEach, describe, expect, it } from 'vitest'
import { browserKV, memoryKV, type KV } from '../storage.js'
import type { WireEvent } from '../types.js'
import { PersistedQueue } from './persisted.js'

const item = (i: number, n = 100) => ({ e: { uuid: `u${i}`, event: 'e', timestamp: i, anonymous_id: 'a' } as WireEvent, n })
const lim = { maxEvents: 100, maxBytes: 1e9, envelope: 0 }
const bounds = { maxEvents: 1000, maxBytes: 1e9 }

beforeEach(() => localStorage.clear())

describe('PersistedQueue', () => {
  it('survives a page reload through localStorage', () => {
    const before = new PersistedQueue(browserKV(), 'q', bounds)
    before.push([item(1), item(2)])
    before.commit()
    const after = new PersistedQueue(browserKV(), 'q', bounds)
    expect(after.size()).toBe(2)
    expect(after.claim(0, 1000, lim).batch.map((i) => i.e.uuid)).toEqual(['u1', 'u2'])
  })

  it('is shared by tabs: a claim by one hides the events from the other until released', () => {
    const a = new PersistedQueue(browserKV(), 'q', bounds)
    const b = new PersistedQueue(browserKV(), 'q', bounds)
    a.push([item(1)])
    a.commit()
    b.push([item(2)])
    b.commit()
    expect(a.claim(0, 1000, lim).batch.map((i) => i.e.uuid)).toEqual(['u1', 'u2'])
    expect(b.claim(10, 1000, lim).batch).toEqual([])
    a.release(new Set(['u2']))
    expect(b.claim(10, 1000, lim).batch.map((i) => i.e.uuid)).toEqual(['u2'])
    a.remove(new Set(['u1']))
    b.remove(new Set(['u2']))
    expect(a.size()).toBe(0)
  })

  it('keeps pushed events in memory until a commit, and every other operation commits first', () => {
    const q = new PersistedQueue(browserKV(), 'q', bounds)
    expect(q.push([item(1)])).toBe(1)
    expect(q.dirty).toBe(true)
    expect(localStorage.getItem('q')).toBeNull()
    q.commit()
    expect(q.dirty).toBe(false)
    expect(JSON.parse(localStorage.getItem('q')!).items).toHaveLength(1)
    expect(q.push([item(2)])).toBe(2)
    expect(q.claim(0, 1000, lim).batch.map((i) => i.e.uuid)).toEqual(['u1', 'u2'])
    expect(JSON.parse(localStorage.getItem('q')!).items).toHaveLength(2)
  })

  it('bounds the stored queue and carries the dropped count until reported', () => {
    const q = new PersistedQueue(browserKV(), 'q', { maxEvents: 3, maxBytes: 1e9 })
    q.push([item(1), item(2), item(3), item(4), item(5)])
    const { batch, dropped } = q.claim(0, 1000, lim)
    expect(batch.map((i) => i.e.uuid)).toEqual(['u3', 'u4', 'u5'])
    expect(dropped).toBe(2)
    q.remove(new Set(['u3', 'u4', 'u5']), dropped)
    q.push([item(6)])
    expect(q.claim(0, 1000, lim).dropped).toBe(0)
  })

  it('drops the oldest half when storage is full, rather than failing', () => {
    let stored: string | null = null
    const tiny: KV = {
      get: () => stored,
      set: (_k, v) => (v.length <= 1200 ? ((stored = v), true) : false),
      remove: () => (stored = null),
    }
    const q = new PersistedQueue(tiny, 'q', bounds)
    q.push(Array.from({ length: 40 }, (_, i) => item(i)))
    const left = q.claim(0, 1000, lim)
    expect(left.batch.length).toBeGreaterThan(0)
    expect(left.batch.length + left.dropped).toBe(40)
    expect(left.batch.at(-1)!.e.uuid).toBe('u39')
  })

  it('starts empty from corrupt storage', () => {
    const kv = memoryKV()
    kv.set('q', '[1,2')
    expect(new PersistedQueue(kv, 'q', bounds).size()).toBe(0)
  })

  it('clear removes everything', () => {
    const q = new PersistedQueue(browserKV(), 'q', bounds)
    q.push([item(1)])
    q.clear()
    expect(localStorage.getItem('q')).toBeNull()
  })
})
