import { describe, expect, it } from 'vitest'
import { BoundedMap } from './bounded.js'

describe('BoundedMap', () => {
  it('keeps at most `size` keys, dropping the oldest insertion', () => {
    const m = new BoundedMap<number>(3)
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) m.set(k, i)
    expect([m.has('a'), m.get('b'), m.get('d'), m.count]).toEqual([false, 1, 3, 3])
    m.set('b', 9) // an update is not an insertion
    m.set('e', 4)
    expect([m.has('b'), m.get('c'), m.get('e')]).toEqual([false, 2, 4])
    m.delete('c')
    expect(m.count).toBe(2)
  })
})
