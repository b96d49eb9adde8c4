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

  it('grows past its size while the oldest key must be kept, up to its most', () => {
    const evicted: number[] = []
    // Values are times; a key younger than 10 (of the newest) is kept.
    let newest = 0
    const m = new BoundedMap<number>(2, (v) => evicted.push(v), { maxSize: 4, keep: (t) => t > newest - 10 })
    const add = (k: string, t: number) => {
      newest = t
      m.set(k, t)
    }
    add('a', 0)
    add('b', 1)
    add('c', 2) // 'a' is young: kept
    expect([m.count, evicted]).toEqual([3, []])
    add('d', 15) // the old keys go, down to the size: 'c' may wait
    expect([m.has('a'), m.has('b'), m.has('c'), m.count, evicted]).toEqual([false, false, true, 2, [0, 1]])
    add('e', 16)
    add('f', 17) // 'c' goes; 'd' is young and waits
    expect([m.has('c'), m.count, evicted]).toEqual([false, 3, [0, 1, 2]])
    add('g', 18)
    add('h', 19) // five young keys would pass the most: the oldest goes
    expect([m.count, m.has('d'), m.has('e'), evicted]).toEqual([4, false, true, [0, 1, 2, 15]])
  })

  it('forgets a few old keys per insertion, not a whole span at once', () => {
    let newest = 0
    const m = new BoundedMap<number>(1, undefined, { maxSize: 100, keep: (t) => t > newest - 10 })
    for (let i = 0; i < 50; i++) m.set(`k${i}`, i % 5)
    newest = 1_000 // all 50 are old now
    m.set('x', newest)
    expect(m.count).toBe(49)
    for (let i = 0; i < 30; i++) m.set(`y${i}`, newest)
    // Two old keys went with each insertion until none was left; the young ones stay.
    expect([m.count, m.has('k49'), m.has('x')]).toEqual([31, false, true])
  })

  it('passes over keys deleted while they waited', () => {
    const m = new BoundedMap<number>(2, undefined, { maxSize: 3, keep: () => true })
    for (const [i, k] of ['a', 'b', 'c'].entries()) m.set(k, i)
    m.delete('a')
    m.delete('b')
    for (const [i, k] of ['d', 'e', 'f'].entries()) m.set(k, 10 + i)
    expect([m.count, m.has('c'), m.has('d'), m.has('f')]).toEqual([3, false, true, true])
  })
})
