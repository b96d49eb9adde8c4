import { describe, expect, it } from 'vitest'
import { Chunk } from './chunk.js'

const alias = { project_id: 'p', anonymous_id: 'a', user_id: 'u', updated_at: '2026-01-01 00:00:00.000' }

describe('Chunk', () => {
  it('encodes rows as UTF-8 lines, growing past its first buffer', () => {
    const chunk = new Chunk(16)
    const rows = ['["p","é→😀"]', '["p","' + 'x'.repeat(100) + '"]']
    chunk.add(3, 'p', rows, [alias], [])
    chunk.add(4, 'q', ['["q",1]'], [], [])
    const batch = chunk.encoded()
    expect(batch.events.toString('utf8')).toBe(rows.join('\n') + '\n["q",1]\n')
    expect(batch.eventCount).toBe(3)
    expect(JSON.parse(batch.aliases.toString('utf8'))).toEqual(alias)
    expect(batch.accounts.length).toBe(0)
    expect([...chunk.bySeg]).toEqual([[3, 1], [4, 1]])
    expect([...chunk.byProject]).toEqual([['p', 2], ['q', 1]])
  })

  it('starts empty again after reset', () => {
    const chunk = new Chunk(64)
    chunk.add(1, 'p', ['[1]'], [alias], [])
    chunk.sealed = true
    chunk.reset()
    chunk.add(2, 'p', ['[2]'], [], [])
    const batch = chunk.encoded()
    expect(batch.events.toString()).toBe('[2]\n')
    expect(batch.aliases.length).toBe(0)
    expect(chunk.sealed).toBe(false)
    expect([...chunk.bySeg]).toEqual([[2, 1]])
  })

  it('names the lines of the requests that may hold stored rows', () => {
    const chunk = new Chunk(64)
    chunk.add(1, 'p', ['[1]', '[2]'], [], [])
    chunk.add(1, 'p', ['[3]'], [], [], true)
    chunk.add(1, 'p', ['[4]', '[5]'], [], [], true)
    chunk.add(1, 'p', ['[6]'], [], [])
    chunk.add(1, 'p', ['[7]'], [], [], true)
    expect(chunk.encoded()).toMatchObject({ checkStored: true, checkLines: [[2, 5], [6, 7]] })
    chunk.reset()
    chunk.add(2, 'p', ['[1]'], [], [])
    expect(chunk.encoded().checkStored).toBeUndefined()
    expect(chunk.encoded().checkLines).toBeUndefined()
  })
})
