import { describe, expect, it } from 'vitest'
import { RateLimiter } from './ratelimit.js'

describe('RateLimiter', () => {
  it('allows the burst, refuses beyond it with the seconds to wait, and refills at the rate', () => {
    let now = 0
    const rl = new RateLimiter(10, 20, () => now)
    expect(rl.take('k', 20)).toEqual({ ok: true, retryAfter: 0 })
    expect(rl.take('k', 5)).toEqual({ ok: false, retryAfter: 1 })
    expect(rl.take('other', 5).ok).toBe(true)
    now = 500 // +5 tokens
    expect(rl.take('k', 5)).toEqual({ ok: true, retryAfter: 0 })
    expect(rl.take('k', 15)).toEqual({ ok: false, retryAfter: 2 })
  })

  it('lets a request larger than the burst through when the bucket is full', () => {
    let now = 0
    const rl = new RateLimiter(10, 20, () => now)
    expect(rl.take('k', 50).ok).toBe(true)
    expect(rl.take('k', 1)).toEqual({ ok: false, retryAfter: 4 })
    now = 5_000
    expect(rl.take('k', 1).ok).toBe(true)
  })

  it('checks without spending, and forgets the oldest key past its bound', () => {
    let now = 0
    const rl = new RateLimiter(1, 2, () => now, 2)
    expect(rl.check('a')).toEqual({ ok: true, retryAfter: 0 })
    rl.take('a', 2)
    expect(rl.check('a')).toEqual({ ok: false, retryAfter: 1 })
    expect(rl.check('a').ok).toBe(false)
    rl.take('b')
    rl.take('c') // a is forgotten: it starts full again
    expect(rl.check('a').ok).toBe(true)
  })
})
