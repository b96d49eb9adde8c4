import { describe, expect, it } from 'vitest'
import { scale, short, ticks } from './svg.js'

describe('svg helpers', () => {
  it('maps domains to ranges, inverted too', () => {
    const y = scale(0, 100, 300, 0)
    expect(y(0)).toBe(300)
    expect(y(25)).toBe(225)
    expect(scale(5, 5, 0, 10)(5)).toBe(0)
  })

  it('picks round ticks', () => {
    expect(ticks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100])
    expect(ticks(-3000, 7000, 5)).toEqual([-2000, 0, 2000, 4000, 6000])
    expect(ticks(-3000, 7000, 4)).toEqual([0, 5000])
    expect(ticks(0, 1, 4)).toEqual([0, 0.5, 1])
  })

  it('shortens large labels', () => {
    expect(short(1200)).toBe('1.2k')
    expect(short(-3_400_000)).toBe('-3.4M')
    expect(short(0.25)).toBe('0.25')
  })
})
