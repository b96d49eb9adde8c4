import { describe, expect, it } from 'vitest'
import { clip, wellFormedBody } from './sanitize.js'

describe('clip', () => {
  it('cuts at the limit, one unit earlier where the cut would split a surrogate pair', () => {
    expect(clip('abcdef', 3)).toBe('abc')
    expect(clip('ab', 3)).toBe('ab')
    expect(clip('ab\u{1F600}c', 3)).toBe('ab')
    expect(clip('ab\u{1F600}c', 4)).toBe('ab\u{1F600}')
  })
})

describe('wellFormedBody', () => {
  it('returns a body without surrogate escapes as it is, and replaces lone surrogates in values and keys of one that has them', () => {
    const plain = JSON.parse('{"a":["x"]}')
    expect(wellFormedBody(plain, '{"a":["x"]}')).toBe(plain)
    const text = '{"k\\ud800":["v\\udc00",{"deep":"\\ud83d\\ude00 ok"}],"__proto__":{"p":"\\ud800"}}'
    const out = wellFormedBody(JSON.parse(text), text) as Record<string, unknown>
    expect(out['k\ufffd']).toEqual(['v\ufffd', { deep: '\u{1F600} ok' }])
    // A `__proto__` key stays an own key; the object's prototype is untouched.
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ p: '\ufffd' })
  })
})
