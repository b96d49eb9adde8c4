import { describe, expect, it } from 'vitest'
import { uuidv7 } from './uuidv7.js'

const RFC = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidv7', () => {
  it('has the version 7 layout and RFC variant', () => {
    for (let i = 0; i < 200; i++) expect(uuidv7()).toMatch(RFC)
  })

  it('encodes the capture time in the first 48 bits', () => {
    const t = Date.UTC(2025, 0, 2, 3, 4, 5, 678)
    const id = uuidv7(t)
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(t)
  })

  it('sorts by time across milliseconds and never repeats', () => {
    const a = uuidv7(1_700_000_000_000)
    const b = uuidv7(1_700_000_000_001)
    expect(a < b).toBe(true)
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7(5))).size).toBe(1000)
  })
})
