import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, startCollector, startGateway, startSite, until, type Gateway, type TestCollector } from './harness.js'
import { appPage } from './pages.js'

interface Row {
  uuid: string
  event: string
  url: string
}

let collector: TestCollector
let gateway: Gateway
let site: { url: string; close(): Promise<void> }
let browser: Browser

// ClickHouse compares UUIDs lower half first; their text keeps UUIDv7 capture order within a millisecond.
const rowsOf = (anonymousId: string) =>
  collector.rows<Row>('SELECT uuid, event, url FROM events FINAL WHERE anonymous_id = {a:String} ORDER BY timestamp, toString(uuid)', { a: anonymousId })
const eventsOf = async (anonymousId: string) => (await rowsOf(anonymousId)).map((r) => r.event)

/** A fresh visitor (own context, own storage) on a page of the app. */
async function visit(path = '/app'): Promise<{ page: Page; anon: string }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(site.url + path)
  await page.waitForFunction(() => localStorage.getItem('tenure_ids') !== null)
  const anon = await page.evaluate(() => JSON.parse(localStorage.getItem('tenure_ids')!).a as string)
  return { page, anon }
}

/** Every event the collector accepted arrived in exactly one accepted batch, and is stored once. */
async function expectExactlyOnce(anon: string, expected: number): Promise<void> {
  const rows = await rowsOf(anon)
  expect(rows).toHaveLength(expected)
  const counts = gateway.acceptedCounts()
  for (const r of rows) expect(counts.get(r.uuid), `${r.event} ${r.uuid}`).toBe(1)
  const [raw] = await collector.rows<{ n: string }>('SELECT count() AS n FROM events WHERE anonymous_id = {a:String}', { a: anon })
  expect(Number(raw!.n)).toBe(expected)
}

beforeAll(async () => {
  collector = await startCollector()
  gateway = await startGateway(collector.url)
  site = await startSite({
    '/app': appPage({ gateway: gateway.url, writeKey: collector.writeKey, flushInterval: 400 }),
    // Flushes only on size or exit: events stay queued in the page.
    '/lazy': appPage({ gateway: gateway.url, writeKey: collector.writeKey, flushInterval: 600_000 }),
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await gateway?.close()
  await collector?.close()
})

describe('delivery in Chromium against the collector', () => {
  it('keeps events while offline and sends them once when back online', async () => {
    const { page, anon } = await visit()
    await until(async () => (await eventsOf(anon)).includes('$pageview'), 'page view')
    const before = gateway.delivered.length
    await page.context().setOffline(true)
    expect(await page.evaluate(() => navigator.onLine)).toBe(false)
    for (const id of ['b1', 'b2', 'b3']) await page.click(`#${id}`)
    await page.waitForTimeout(1500)
    expect(gateway.delivered.length).toBe(before)
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('tenure_queue_'))!)!).items.length)).toBe(3)
    await page.context().setOffline(false)
    await until(async () => (await eventsOf(anon)).length === 4, 'events after reconnecting')
    await page.waitForTimeout(1000)
    expect(await eventsOf(anon)).toEqual(['$pageview', '$click', '$click', '$click'])
    await expectExactlyOnce(anon, 4)
    await page.context().close()
  })

  it('keeps events through a collector outage and a page reload, then sends them once', async () => {
    const { page, anon } = await visit()
    await until(async () => (await eventsOf(anon)).includes('$pageview'), 'page view')
    gateway.down = true
    const refusedBefore = gateway.delivered.filter((d) => d.status === 503).length
    await page.click('#b1')
    await page.click('#b2')
    await until(() => gateway.delivered.filter((d) => d.status === 503).length > refusedBefore, 'a refused attempt')
    // Reloading while the collector fails: nothing is beaconed into the void; the queue waits in storage.
    await page.reload()
    await page.waitForFunction(() => typeof (window as unknown as { tenure?: { flush?: unknown } }).tenure?.flush === 'function')
    await page.waitForTimeout(500)
    expect(await eventsOf(anon)).toEqual(['$pageview'])
    gateway.down = false
    await until(async () => (await eventsOf(anon)).length === 5, 'events after the outage', 30_000)
    await page.waitForTimeout(1000)
    expect((await eventsOf(anon)).sort()).toEqual(['$click', '$click', '$pageleave', '$pageview', '$pageview'])
    await expectExactlyOnce(anon, 5)
    await page.context().close()
  })

  it('delivers the events still queued when the tab is closed', async () => {
    const { page, anon } = await visit('/lazy')
    for (const id of ['b1', 'b2', 'b3', 'b4', 'b5']) await page.click(`#${id}`)
    await page.waitForTimeout(300)
    // Only what was queued before this page (nothing) and its page view went at load.
    expect(await eventsOf(anon)).toEqual(['$pageview'])
    await page.close({ runBeforeUnload: true })
    await until(async () => (await eventsOf(anon)).length === 7, 'events of the closed tab')
    // What was still queued went by beacon (plain text: a beacon cannot wait for compression).
    const last = gateway.delivered.find((d) => d.events.some((e) => e.event === '$pageleave') && d.raw.includes(anon))!
    expect(last.events.map((e) => e.event)).toEqual(['$click', '$click', '$click', '$click', '$click', '$pageleave'])
    expect(last.gzipped).toBe(false)
    await new Promise((r) => setTimeout(r, 1000))
    expect((await eventsOf(anon)).sort()).toEqual(['$click', '$click', '$click', '$click', '$click', '$pageleave', '$pageview'])
    await expectExactlyOnce(anon, 7)
  })

  it('splits a large backlog into requests under 64 KB', async () => {
    const { page, anon } = await visit('/lazy')
    await page.evaluate(() => {
      const t = (window as unknown as { tenure: { track(n: string, p: object): void } }).tenure
      // The 20th queued event triggers a flush (flushAt); the page view went at load.
      for (let i = 0; i < 20; i++) t.track('bulk', { i, blob: 'x'.repeat(9000) })
    })
    await until(async () => (await eventsOf(anon)).length === 21, 'the backlog')
    const bulk = gateway.delivered.filter((d) => d.events.some((e) => e.event === 'bulk'))
    expect(bulk.length).toBeGreaterThan(2)
    for (const d of bulk) expect(Buffer.byteLength(d.raw)).toBeLessThan(64 * 1024)
    // Sent with fetch, compressed by the browser's CompressionStream.
    expect(bulk.every((d) => d.gzipped)).toBe(true)
    await expectExactlyOnce(anon, 21)
    await page.context().close()
  })
})
