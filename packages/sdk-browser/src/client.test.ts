import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTenure, type Tenure } from './client.js'
import { memoryKV, type KV } from './storage.js'
import type { Transport } from './transport.js'
import type { WireEvent } from './types.js'

interface Body {
  write_key: string
  sent_at: number
  events: WireEvent[]
}

let kv: KV
let sent: Body[]
let beacons: Body[]
let urls: string[]
let clients: Tenure[]

const transport = (url: string): Transport => {
  urls.push(url)
  return {
    async send(body) {
      sent.push(JSON.parse(body))
      return { status: 200, json: { ok: true } }
    },
    beacon(body) {
      beacons.push(JSON.parse(body))
      return true
    },
  }
}

const make = (): Tenure => {
  const t = createTenure({ kv: () => kv, transport })
  clients.push(t)
  return t
}
const events = (list: Body[] = sent) => list.flatMap((b) => b.events)
const names = (list: Body[] = sent) => events(list).map((e) => e.event)
const click = (el: Element) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }))
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

beforeEach(() => {
  kv = memoryKV()
  sent = []
  beacons = []
  urls = []
  clients = []
  history.replaceState(null, '', '/app?token=secret123&tab=2')
  document.title = 'App'
  document.body.innerHTML = '<main data-feature="reports"><button id="export">Export</button></main>'
})
afterEach(() => {
  for (const c of clients) c.optOut()
})

describe('client', () => {
  it('records a page view at init and sends it with everything the wire needs', async () => {
    const t = make()
    t.init({ key: 'wk_1', host: 'https://collect.example.com/' })
    await t.flush()
    expect(urls).toEqual(['https://collect.example.com/v1/batch'])
    expect(sent).toHaveLength(1)
    expect(sent[0]!.write_key).toBe('wk_1')
    const [pv] = events()
    expect(pv).toMatchObject({ event: '$pageview', url: `${location.origin}/app?tab=2`, title: 'App' })
    expect(pv!.uuid).toMatch(UUID7)
    expect(pv!.anonymous_id).toMatch(UUID7)
    expect(pv!.session_id).toMatch(UUID7)
    expect(Math.abs(pv!.timestamp - Date.now())).toBeLessThan(5000)
  })

  it('captures clicks with the feature key and element chain', async () => {
    const t = make()
    t.init({ key: 'wk_1' })
    click(document.getElementById('export')!)
    await t.flush()
    const c = events().find((e) => e.event === '$click')!
    expect(c.feature_key).toBe('reports')
    expect(c.elements!.map((e) => e.tag)).toEqual(['button', 'main', 'body'])
    expect(c.elements![0]!.text).toBe('Export')
  })

  it('tracks custom events with their properties', async () => {
    const t = make()
    t.init({ key: 'wk_1', pageviews: false })
    t.track('Report exported', { rows: 120, format: 'csv' })
    t.track('' as string)
    t.track(42 as unknown as string)
    await t.flush()
    expect(events()).toMatchObject([{ event: 'Report exported', properties: { rows: 120, format: 'csv' } }])
  })

  it('identify and group: later events carry the user and the account', async () => {
    const t = make()
    t.init({ key: 'wk_1', pageviews: false })
    t.track('before')
    t.identify('user-1', { plan: 'pro' })
    t.group('acct-9', { name: 'Acme' })
    t.track('after')
    t.identify('user-1')
    t.group('acct-9')
    await t.flush()
    const [before, identify, group, after] = events()
    expect(events()).toHaveLength(4)
    expect(before).not.toHaveProperty('user_id')
    expect(identify).toMatchObject({ event: '$identify', user_id: 'user-1', properties: { plan: 'pro' }, anonymous_id: before!.anonymous_id })
    expect(group).toMatchObject({ event: '$group', user_id: 'user-1', account_id: 'acct-9', properties: { name: 'Acme' } })
    expect(after).toMatchObject({ event: 'after', user_id: 'user-1', account_id: 'acct-9' })
  })

  it('keeps identity across page loads', async () => {
    const a = make()
    a.init({ key: 'wk_1', pageviews: false })
    a.identify('user-1')
    a.group('acct-9')
    // A second client on the same storage is the next page load.
    const b = make()
    b.init({ key: 'wk_1', pageviews: false })
    b.track('x')
    await b.flush()
    expect(events().at(-1)).toMatchObject({ event: 'x', user_id: 'user-1', account_id: 'acct-9' })
  })

  it('reset on logout: a new anonymous id, no user, no account', async () => {
    const t = make()
    t.init({ key: 'wk_1', pageviews: false })
    t.identify('user-1')
    t.group('acct-9')
    t.track('in')
    t.reset()
    t.track('out')
    await t.flush()
    const [, , inside, outside] = events()
    expect(outside).not.toHaveProperty('user_id')
    expect(outside).not.toHaveProperty('account_id')
    expect(outside!.anonymous_id).not.toBe(inside!.anonymous_id)
  })

  it('a different user without reset gets a fresh anonymous id, so two people are never merged', async () => {
    const t = make()
    t.init({ key: 'wk_1', pageviews: false })
    t.identify('alice')
    t.identify('bob')
    await t.flush()
    const [a, b] = events()
    expect(b).toMatchObject({ event: '$identify', user_id: 'bob' })
    expect(b!.anonymous_id).not.toBe(a!.anonymous_id)
  })

  it('queues calls made before init and replays them in order', async () => {
    const t = make()
    t.track('early', { n: 1 })
    t.identify('user-1')
    t.init({ key: 'wk_1', pageviews: false })
    await t.flush()
    expect(names()).toEqual(['early', '$identify'])
  })

  it('with consent required, captures and stores nothing until optIn', async () => {
    const t = make()
    t.init({ key: 'wk_1', requireConsent: true })
    t.track('x')
    click(document.getElementById('export')!)
    await t.flush()
    expect(sent).toEqual([])
    expect(kv.get('tenure_ids')).toBeNull()
    t.optIn()
    t.track('y')
    await t.flush()
    expect(names()).toEqual(['$pageview', 'y'])
  })

  it('optOut stops capture, clears the queue and ids, and persists across loads', async () => {
    const t = make()
    t.init({ key: 'wk_1', pageviews: false, flushAt: 100 })
    t.track('queued')
    t.optOut()
    expect(kv.get('tenure_queue_wk_1')).toBeNull()
    expect(kv.get('tenure_ids')).toBeNull()
    t.track('ignored')
    const next = make()
    next.init({ key: 'wk_1' })
    next.track('also ignored')
    await next.flush()
    expect(sent).toEqual([])
  })

  it('flushes by itself once flushAt events are queued', async () => {
    const t = make()
    t.init({ key: 'wk_1', pageviews: false, flushAt: 3 })
    t.track('a')
    t.track('b')
    expect(sent).toHaveLength(0)
    t.track('c')
    // Not from inside the call that queued the event: in a task of its own.
    await Promise.resolve()
    expect(sent).toHaveLength(0)
    await new Promise((r) => setTimeout(r, 0))
    await new Promise((r) => setTimeout(r, 0))
    expect(names()).toEqual(['a', 'b', 'c'])
  })

  it('neither writes the stored queue nor sends inside a click listener, whatever the queue holds', async () => {
    const writes: string[] = []
    const inner = kv
    kv = { ...inner, set: (k, v) => (writes.push(k), inner.set(k, v)) }
    const t = make()
    t.init({ key: 'wk_1', pageviews: false, flushAt: 5 })
    await new Promise((r) => setTimeout(r, 5))
    const before = writes.filter((k) => k === 'tenure_queue_wk_1').length
    for (let i = 0; i < 12; i++) {
      click(document.getElementById('export')!)
      // Synchronously after each click: nothing written, nothing sent.
      expect(writes.filter((k) => k === 'tenure_queue_wk_1').length).toBe(before)
      expect(sent).toHaveLength(0)
    }
    const end = Date.now() + 3000
    const clicks = () => names().filter((n) => n === '$click')
    while (clicks().length < 12 && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
    expect(clicks()).toHaveLength(12)
    // A few writes for the whole burst (commit, claim, remove per batch), not one per click.
    expect(writes.filter((k) => k === 'tenure_queue_wk_1').length - before).toBeLessThan(12)
  })

  it('persists captured events soon after, off the path of the click', async () => {
    // Offline, so no delivery takes the event first.
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false })
    try {
      const t = make()
      t.init({ key: 'wk_1', pageviews: false, flushAt: 100 })
      t.track('x')
      expect(kv.get('tenure_queue_wk_1')).toBeNull()
      const end = Date.now() + 3000
      while (!kv.get('tenure_queue_wk_1') && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
      expect(JSON.parse(kv.get('tenure_queue_wk_1')!).items.map((i: { e: WireEvent }) => i.e.event)).toEqual(['x'])
      expect(sent).toEqual([])
    } finally {
      delete (navigator as { onLine?: boolean }).onLine
    }
  })

  it('on pagehide, records the page leave and hands the queue to beacons', () => {
    const t = make()
    t.init({ key: 'wk_1', flushAt: 100 })
    t.track('x')
    window.dispatchEvent(new Event('pagehide'))
    expect(names(beacons)).toEqual(['$pageview', 'x', '$pageleave'])
    expect(events(beacons)[2]!.properties).toMatchObject({ $scroll_depth: expect.any(Number), $time_on_page_ms: expect.any(Number) })
    expect(kv.get('tenure_queue_wk_1')).toBe('{"items":[],"dropped":0}')
  })

  it('strips configured and default secret parameters from urls and referrers', async () => {
    history.replaceState(null, '', '/p?customer=acme&access_token=t&page=3')
    const t = make()
    t.init({ key: 'wk_1', stripParams: ['customer'] })
    await t.flush()
    expect(events()[0]!.url).toBe(`${location.origin}/p?page=3`)
  })

  it('never throws into the page', () => {
    const t = make()
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => {
      t.init(undefined as never)
      t.init({ key: 'wk_1' })
      t.track('cyclic', cyclic)
      t.identify(null as never)
      t.group({} as never)
      t.push('nonsense')
      t.push(['noSuchMethod'])
      t.use(null as never)
    }).not.toThrow()
  })

  it('runs plugins with the narrow API once started', async () => {
    const t = make()
    const seen: unknown[] = []
    t.use((api) => {
      seen.push(api.getIds().anonymousId.length > 0, api.config)
      api.track('$nudge_shown', { nudge: 'n1' })
    })
    expect(seen).toEqual([])
    t.init({ key: 'wk_1', host: 'https://c.example', pageviews: false })
    await t.flush()
    expect(seen).toEqual([true, { key: 'wk_1', host: 'https://c.example' }])
    expect(names()).toEqual(['$nudge_shown'])
  })
})
