import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from './cursor.js'

describe('event cursors', () => {
  it('round-trips a position', () => {
    const c = { ts: '2026-11-24 13:00:00.000', uuid: '0b6e3a8e-55f4-4c52-9f34-0b3f1c7e2a10' }
    expect(decodeCursor(encodeCursor(c))).toEqual(c)
  })
  it('refuses anything it did not write, naming the field', () => {
    for (const bad of ['', 'abc', encodeCursor({ ts: "2026-11-24' OR 1", uuid: 'x' }), Buffer.from('2026-11-24 13:00:00.000|not-a-uuid').toString('base64url'), 'a'.repeat(300)]) {
      expect(() => decodeCursor(bad, 'after')).toThrow('after is not a cursor returned by this API')
    }
  })
})
