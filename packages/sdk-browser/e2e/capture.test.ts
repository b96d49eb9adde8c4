import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { textKeyFor, textToken } from '@tenure/analysis'
import { launchChromium, startCollector, startGateway, startSite, until, type Gateway, type TestCollector } from './harness.js'
import { appPage, snippetPage } from './pages.js'

interface Row {
  uuid: string
  event: string
  url: string
  path: string
  title: string
  feature_key: string
  element_text: string
  elements: { tag: string; id: string; classes: string[]; attrs: Record<string, string>; text: string; nth: number }[]
  properties: string
  anonymous_id: string
  session_id: string
}

const TYPED = ['typed-secret-mail@example.com', 'hunter2-typed-password', '4111 1111 1111 1111', 'typed note words']

let collector: TestCollector
let gateway: Gateway
let site: { url: string; close(): Promise<void> }
let browser: Browser
let context: BrowserContext
let page: Page
let anon = ''

// ClickHouse compares UUIDs lower half first; their text keeps UUIDv7 capture order within a millisecond.
const rowsOf = (anonymousId: string) =>
  collector.rows<Row>('SELECT * FROM events FINAL WHERE anonymous_id = {a:String} ORDER BY timestamp, toString(uuid)', { a: anonymousId })

/** Path and hash of the page an event was on. */
const where = (r: Row) => new URL(r.url).pathname + new URL(r.url).hash

beforeAll(async () => {
  collector = await startCollector()
  gateway = await startGateway(collector.url)
  site = await startSite({
    '/app': appPage({ gateway: gateway.url, writeKey: collector.writeKey }),
    '/snippet': snippetPage({ gateway: gateway.url, writeKey: collector.writeKey }),
  })
  browser = await launchChromium()
  context = await browser.newContext()
  page = await context.newPage()
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await gateway?.close()
  await collector?.close()
})

describe('autocapture in Chromium against the collector', () => {
  it('records the page view of the first load', async () => {
    await page.goto(`${site.url}/app?token=abc&from=mail`)
    await page.waitForFunction(() => typeof (window as unknown as { tenure?: { flush?: unknown } }).tenure?.flush === 'function')
    anon = await page.evaluate(() => JSON.parse(localStorage.getItem('tenure_ids')!).a as string)
    // An empty list is truthy: wait for the row itself.
    const rows = await until(async () => {
      const views = (await rowsOf(anon)).filter((r) => r.event === '$pageview')
      return views.length ? views : null
    }, 'first page view')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.url).toBe(`${site.url}/app?from=mail`)
    expect(rows[0]!.title).toBe('Projects')
  })

  it('captures clicks, forms, SPA navigation and shadow DOM, and never what was typed', async () => {
    await page.click('#create')
    await page.click('#plain')
    await page.click('#private')
    await page.click('#card-title')
    await page.click('#shadow-icon')
    await page.click('#email')
    await page.keyboard.type(TYPED[0]!)
    await page.click('#pw')
    await page.keyboard.type(TYPED[1]!)
    await page.click('#cc')
    await page.keyboard.type(TYPED[2]!)
    await page.click('#note')
    await page.keyboard.type(TYPED[3]!)
    await page.click('#submit')
    // SPA: a link with an icon, back (popstate), then a hash route.
    await page.click('#nav-icon')
    await page.waitForURL('**/app/reports*')
    await page.goBack()
    await page.waitForURL((u) => u.pathname === '/app')
    await page.evaluate(() => (location.hash = '#/settings'))
    await page.evaluate(() => history.replaceState({ same: true }, ''))
    await page.evaluate(() => (window as unknown as { tenure: { flush(): Promise<void> } }).tenure.flush())

    const rows: Row[] = await until(async () => {
      const r = await rowsOf(anon)
      return r.filter((x) => x.event === '$pageview').length >= 4 ? r : null
    }, 'all events of the session')

    const clicks = rows.filter((r) => r.event === '$click')
    const clicked = clicks.map((r) => r.elements[0]!.id || r.elements[0]!.tag)
    // Plain text and the no-capture section give nothing; the password and card fields give nothing.
    expect(clicked).toEqual(['create', 'card', 'shadow-btn', 'email', 'note', 'submit', 'nav-reports'])

    const create = clicks[0]!
    expect(create.feature_key).toBe('projects')
    // One person so far: element text is stored as its token only (public after k people).
    const key = await textKeyFor(collector.collector.deps.store.client, 'default')
    expect(create.element_text).toBe(textToken(key, 'Create project'))
    expect(create.elements.map((e) => e.tag)).toEqual(['button', 'main', 'body'])
    expect(create.elements[0]).toMatchObject({ classes: ['btn', 'primary'], attrs: { 'data-testid': 'create-project' }, nth: 1 })

    expect(clicks[1]!.feature_key).toBe('project-card')
    expect(clicks[2]!.elements.map((e) => e.tag)).toEqual(['button', 'div', 'x-widget', 'main', 'body'])
    expect(clicks[2]!.feature_key).toBe('widget')
    const nav = clicks[6]!
    expect(nav.elements[0]!.attrs.href).toBe(`${site.url}/app/reports`)
    expect(nav.element_text).toBe(textToken(key, 'Reports'))

    const changes = rows.filter((r) => r.event === '$change').map((r) => r.elements[0]!.attrs.name)
    expect(changes).toEqual(['email', 'note'])
    const submits = rows.filter((r) => r.event === '$submit')
    expect(submits.map((r) => [r.elements[0]!.id, r.feature_key])).toEqual([['signup', 'signup']])

    const views = rows.filter((r) => r.event === '$pageview').map(where)
    expect(views).toEqual(['/app', '/app/reports', '/app', '/app#/settings'])
    expect(rows.find((r) => r.url.includes('/app/reports') && r.event === '$pageview')!.title).toBe('Reports')
    const leaves = rows.filter((r) => r.event === '$pageleave')
    expect(leaves.map(where)).toEqual(['/app', '/app/reports', '/app'])
    for (const l of leaves) {
      const p = JSON.parse(l.properties) as { $time_on_page_ms: number; $scroll_depth: number }
      expect(p.$time_on_page_ms).toBeGreaterThanOrEqual(0)
      expect(p.$scroll_depth).toBeGreaterThan(0)
      expect(p.$scroll_depth).toBeLessThanOrEqual(100)
    }

    // One session, one visitor, and no secret anywhere: not stored, not even sent.
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(1)
    const everything = JSON.stringify(await collector.rows('SELECT * FROM events'))
    const wire = gateway.delivered.map((d) => d.raw).join('\n')
    for (const secret of [...TYPED, '4111111111111111', 'leaky', 'token=abc']) {
      expect(everything).not.toContain(secret)
      expect(wire).not.toContain(secret)
    }
  })

  it('sent every event exactly once', async () => {
    const counts = gateway.acceptedCounts()
    // 4 page views, 3 page leaves, 7 clicks, 2 changes, 1 submit.
    expect(counts.size).toBe(17)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    const [stored] = await collector.rows<{ n: string; u: string }>('SELECT count() AS n, uniqExact(uuid) AS u FROM events')
    expect(Number(stored!.u)).toBe(counts.size)
    expect(Number(stored!.n)).toBe(counts.size)
  })

  it('replays calls the snippet queued before the script loaded; later events carry user and account', async () => {
    const ctx = await browser.newContext()
    const p = await ctx.newPage()
    await p.goto(`${site.url}/snippet`)
    await p.waitForFunction(() => typeof (window as unknown as { tenure?: { flush?: unknown } }).tenure?.flush === 'function' && !Array.isArray((window as unknown as { tenure: unknown }).tenure))
    await p.click('#go')
    const a = await p.evaluate(() => JSON.parse(localStorage.getItem('tenure_ids')!).a as string)
    const rows = await until(async () => {
      const r = await rowsOf(a)
      return r.length >= 5 ? r : null
    }, 'snippet events')
    expect(rows.map((r) => r.event)).toEqual(['$pageview', '$identify', '$group', 'Opened before load', '$click'])
    const [identify, group, early, click] = rows.slice(1) as (Row & { user_id: string; account_id: string })[]
    expect(JSON.parse(identify!.properties)).toEqual({ plan: 'pro' })
    expect(identify!.user_id).toBe('user-snippet')
    expect(JSON.parse(group!.properties)).toEqual({ name: 'Snippet Inc' })
    expect([early!.user_id, early!.account_id, click!.user_id, click!.account_id]).toEqual(['user-snippet', 'acct-snippet', 'user-snippet', 'acct-snippet'])
    const [alias] = await collector.rows<{ user_id: string }>('SELECT user_id FROM person_aliases FINAL WHERE anonymous_id = {a:String}', { a })
    expect(alias?.user_id).toBe('user-snippet')
    await ctx.close()
  })

  it('views a route that is left again in the task that pushed it (a push, then an anchor jump)', async () => {
    const ctx = await browser.newContext()
    const p = await ctx.newPage()
    await p.goto(`${site.url}/app`)
    await p.waitForFunction(() => typeof (window as unknown as { tenure?: { flush?: unknown } }).tenure?.flush === 'function')
    const a = await p.evaluate(() => JSON.parse(localStorage.getItem('tenure_ids')!).a as string)
    await p.evaluate(() => {
      history.pushState({}, '', '/app/quick')
      document.title = 'Quick'
      location.hash = '#/details'
    })
    await p.evaluate(() => (window as unknown as { tenure: { flush(): Promise<void> } }).tenure.flush())
    const rows = await until(async () => {
      const r = (await rowsOf(a)).filter((x) => x.event === '$pageview' || x.event === '$pageleave')
      return r.length >= 5 ? r : null
    }, 'views and leaves of the quick route')
    expect(rows.map((r) => [r.event, where(r)])).toEqual([
      ['$pageview', '/app'],
      ['$pageleave', '/app'],
      ['$pageview', '/app/quick'],
      ['$pageleave', '/app/quick'],
      ['$pageview', '/app/quick#/details'],
    ])
    expect(rows[2]!.title).toBe('Quick')
    await ctx.close()
  })
})
