import { describe, expect, it } from 'vitest'
import { RecentIds } from './dedupe.js'

describe('RecentIds', () => {
  it('remembers ids per project, forgets the oldest past the bound, and forgets on request', () => {
    const ids = new RecentIds(2)
    expect(ids.add('p', 'a')).toBe(true)
    expect(ids.add('p', 'a')).toBe(false)
    expect(ids.add('q', 'a')).toBe(true)
    expect(ids.add('p', 'b')).toBe(true)
    expect(ids.add('p', 'c')).toBe(true) // evicts 'a'
    expect(ids.add('p', 'a')).toBe(true)
    ids.remove('p', ['c'])
    expect(ids.add('p', 'c')).toBe(true)
  })
})
