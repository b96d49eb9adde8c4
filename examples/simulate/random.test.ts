import { describe, expect, it } from 'vitest'
import { Rng, deriveSeed } from './random.js'
import { addMonths, parseDay, formatDay } from './dates.js'

describe('Rng', () => {
  it('repeats its sequence for a seed', () => {
    const a = new Rng(7)
    const b = new Rng(7)
    const xs = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs)
    expect(new Rng(8).next()).not.toBe(xs[0])
  })

  it('draws integers inside the bounds, all of them', () => {
    const r = new Rng(1)
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) seen.add(r.int(3, 6))
    expect([...seen].sort()).toEqual([3, 4, 5, 6])
  })

  it('makes version-4-shaped uuids', () => {
    const r = new Rng(2)
    for (let i = 0; i < 100; i++) expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('derives different streams for different labels', () => {
    expect(deriveSeed(1, 'user', 1)).not.toBe(deriveSeed(1, 'user', 2))
    expect(deriveSeed(1, 'user', 1)).toBe(deriveSeed(1, 'user', 1))
  })
})

describe('addMonths', () => {
  it('clamps to the end of shorter months', () => {
    expect(formatDay(addMonths(parseDay('2024-01-31'), 1))).toBe('2024-02-29')
    expect(formatDay(addMonths(parseDay('2025-01-31'), 1))).toBe('2025-02-28')
    expect(formatDay(addMonths(parseDay('2025-03-15'), 12))).toBe('2026-03-15')
  })
})
