import { describe, expect, it } from 'vitest'
import type { WireEvent } from '../types.js'
import { append, claim, emptyQueue, release, remove, type Item } from './queue.js'

const ev = (i: number): WireEvent => ({ uuid: `u${i}`, event: '$click', timestamp: i, anonymous_id: 'a' })
const item = (i: number, n = 100): Item => ({ e: ev(i), n })
const uuids = (items: Item[]) => items.map((i) => i.e.uuid)
const big = { maxEvents: 1000, maxBytes: 1_000_000 }

describe('append', () => {
  it('keeps everything within bounds', () => {
    const q = append(emptyQueue(), [item(1), item(2)], big)
    expect(uuids(q.items)).toEqual(['u1', 'u2'])
    expect(q.dropped).toBe(0)
  })

  it('drops the oldest beyond the event count, and counts them', () => {
    let q = emptyQueue()
    for (let i = 1; i <= 7; i++) q = append(q, [item(i)], { maxEvents: 5, maxBytes: 1e9 })
    expect(uuids(q.items)).toEqual(['u3', 'u4', 'u5', 'u6', 'u7'])
    expect(q.dropped).toBe(2)
  })

  it('drops the oldest beyond the byte bound', () => {
    const q = append(emptyQueue(), [item(1, 300), item(2, 300), item(3, 300), item(4, 150)], { maxEvents: 100, maxBytes: 800 })
    // 1050 bytes > 800: dropping u1 leaves 750.
    expect(uuids(q.items)).toEqual(['u2', 'u3', 'u4'])
    expect(q.dropped).toBe(1)
  })

  it('drops strictly by age, including events a request is carrying', () => {
    const q = append({ items: [{ ...item(1), l: 9 }, { ...item(2), l: 9 }], dropped: 3 }, [item(3)], { maxEvents: 1, maxBytes: 1e9 })
    expect(uuids(q.items)).toEqual(['u3'])
    expect(q.dropped).toBe(5)
  })
})

describe('claim', () => {
  const lim = { maxEvents: 100, maxBytes: 1000, envelope: 50 }

  it('takes the oldest events that fit the body, counting commas', () => {
    // 50 + 300 + 301 + 301 = 952; a fourth would make 1253.
    const q = append(emptyQueue(), [item(1, 300), item(2, 300), item(3, 300), item(4, 300)], big)
    const r = claim(q, 1000, 30_000, lim)
    expect(uuids(r.batch)).toEqual(['u1', 'u2', 'u3'])
    expect(r.q.items.map((i) => i.l)).toEqual([31_000, 31_000, 31_000, undefined])
  })

  it('fills the budget exactly to the byte', () => {
    // 50 + 474 + 1 + 475 = 1000
    const q = append(emptyQueue(), [item(1, 474), item(2, 475), item(3, 1)], big)
    expect(uuids(claim(q, 0, 1, lim).batch)).toEqual(['u1', 'u2'])
  })

  it('respects the event count', () => {
    const q = append(emptyQueue(), [item(1, 1), item(2, 1), item(3, 1)], big)
    expect(uuids(claim(q, 0, 1, { ...lim, maxEvents: 2 }).batch)).toEqual(['u1', 'u2'])
  })

  it('skips events leased to another request until the lease expires', () => {
    let q = append(emptyQueue(), [item(1), item(2)], big)
    q = claim(q, 0, 10_000, { ...lim, maxEvents: 1 }).q
    expect(uuids(claim(q, 5_000, 10_000, lim).batch)).toEqual(['u2'])
    expect(uuids(claim(q, 10_000, 10_000, lim).batch)).toEqual(['u1', 'u2'])
  })

  it('sends an oversized event alone rather than blocking the queue', () => {
    const q = append(emptyQueue(), [item(1, 5000), item(2, 10)], big)
    expect(uuids(claim(q, 0, 1, lim).batch)).toEqual(['u1'])
  })

  it('returns the same state when nothing is free', () => {
    const q = emptyQueue()
    expect(claim(q, 0, 1, lim)).toEqual({ q, batch: [] })
  })
})

describe('release and remove', () => {
  it('release frees leased events, remove deletes them', () => {
    let q = append(emptyQueue(), [item(1), item(2), item(3)], big)
    q = claim(q, 0, 10_000, { maxEvents: 2, maxBytes: 1e9, envelope: 0 }).q
    const released = release(q, new Set(['u1']))
    expect(released.items.map((i) => i.l)).toEqual([undefined, 10_000, undefined])
    expect(uuids(remove(q, new Set(['u1', 'u2'])).items)).toEqual(['u3'])
  })
})
