import { describe, expect, it } from 'vitest'
import { Consent } from './consent.js'
import { Identity, SESSION_IDLE_MS } from './identity.js'
import { memoryKV } from './storage.js'

const ids = () => {
  let n = 0
  return () => `id-${++n}`
}

describe('Identity', () => {
  it('creates an anonymous id once and keeps it across page loads', () => {
    const kv = memoryKV()
    const newId = ids()
    expect(new Identity(kv, newId).get()).toEqual({ anonymousId: 'id-1', userId: null, accountId: null })
    expect(new Identity(kv, newId).get().anonymousId).toBe('id-1')
  })

  it('persists user and account', () => {
    const kv = memoryKV()
    const a = new Identity(kv, ids())
    a.setUser('u-7')
    a.setAccount('acme')
    expect(new Identity(kv, ids()).get()).toEqual({ anonymousId: 'id-1', userId: 'u-7', accountId: 'acme' })
  })

  it('reset gives a new anonymous visitor without user or account', () => {
    const kv = memoryKV()
    const a = new Identity(kv, ids())
    a.setUser('u-7')
    a.setAccount('acme')
    a.reset()
    expect(a.get()).toEqual({ anonymousId: 'id-2', userId: null, accountId: null })
    expect(new Identity(kv, ids()).get().userId).toBeNull()
  })

  it('keeps a session while events come within 30 minutes, then starts another', () => {
    const kv = memoryKV()
    const a = new Identity(kv, ids())
    const s1 = a.session(0)
    expect(a.session(SESSION_IDLE_MS - 1)).toBe(s1)
    expect(a.session(2 * SESSION_IDLE_MS - 2)).toBe(s1)
    const s2 = a.session(3 * SESSION_IDLE_MS)
    expect(s2).not.toBe(s1)
    // Another tab of the site shares it.
    expect(new Identity(kv, ids()).session(3 * SESSION_IDLE_MS + 5)).toBe(s2)
  })

  it('forget leaves nothing behind', () => {
    const kv = memoryKV()
    const a = new Identity(kv, ids())
    a.session(0)
    a.forget()
    expect(kv.get('tenure_ids')).toBeNull()
    expect(kv.get('tenure_session')).toBeNull()
  })

  it('survives corrupt storage', () => {
    const kv = memoryKV()
    kv.set('tenure_ids', '{not json')
    kv.set('tenure_session', '42')
    const a = new Identity(kv, ids())
    expect(a.get().anonymousId).toBe('id-1')
    expect(a.session(0)).toBe('id-2')
  })
})

describe('Consent', () => {
  it('defaults to granted unless consent is required', () => {
    expect(new Consent(memoryKV(), false).granted()).toBe(true)
    expect(new Consent(memoryKV(), true).granted()).toBe(false)
  })

  it('persists an explicit choice, which wins over the default', () => {
    const kv = memoryKV()
    new Consent(kv, false).set(false)
    expect(new Consent(kv, false).granted()).toBe(false)
    new Consent(kv, true).set(true)
    expect(new Consent(kv, true).granted()).toBe(true)
  })
})

describe('Identity session writes', () => {
  it('keeps one session through steady activity while skipping most writes', () => {
    let writes = 0
    const inner = memoryKV()
    const kv = { ...inner, set: (k: string, v: string) => (k === 'tenure_session' && writes++, inner.set(k, v)) }
    const a = new Identity(kv, ids())
    const first = a.session(0)
    for (let t = 10_000; t <= 2 * SESSION_IDLE_MS; t += 10_000) expect(a.session(t)).toBe(first)
    // 360 events, one write every 20 s.
    expect(writes).toBeLessThan(200)
  })
})
