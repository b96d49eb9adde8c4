import { describe, expect, it } from 'vitest'
import { uuidv7 } from './uuidv7.js'

const RFC = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const msOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16)

describe('uuidv7', () => {
  it('has the version 7 layout and RFC variant', () => {
    for (let i = 0; i < 200; i++) expect(uuidv7()).toMatch(RFC)
  })

  it('encodes the capture time in the first 48 bits', () => {
    const t = Date.UTC(2030, 0, 2, 3, 4, 5, 678)
    expect(msOf(uuidv7(t))).toBe(t)
  })

  it('strictly increases, also within one millisecond and across counter overflow', () => {
    const t = Date.UTC(2031, 0, 1)
    const ids = Array.from({ length: 10_000 }, () => uuidv7(t))
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    // Never more than a few milliseconds ahead of the clock.
    expect(msOf(ids.at(-1)!) - t).toBeLessThan(5)
  })

  it('does not go backwards when the clock does', () => {
    const a = uuidv7(Date.UTC(2032, 0, 1, 0, 0, 1))
    const b = uuidv7(Date.UTC(2032, 0, 1, 0, 0, 0))
    expect(b > a).toBe(true)
  })
})
