import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { isHeldOut } from '../src/nudges/hash.js'
import { launchChromium, startCollector, startSite, until, type TestCollector } from './harness.js'

const NUDGE_ID = 'n_e2e_export'
const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'
// With half held out, one user id the hash shows the nudge to and one it holds out.
const candidates = Array.from({ length: 200 }, (_, i) => `e2e-user-${i}`)
const SHOWN_USER = candidates.find((u) => !isHeldOut(u, NUDGE_ID, 0.5))!
const HELD_USER = candidates.find((u) => isHeldOut(u, NUDGE_ID, 0.5))!
const USED_USER = 'e2e-used-export'

/**
 * A small app page whose styles would break a careless widget (global rules on p, button, * and
 * a big body margin). It identifies the user named in ?user= through the snippet queue.
 */
const nudgePage = (collectorUrl: string, writeKey: string) => (site: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Reports</title>
<script>
  window.tenure = window.tenure || []
  var u = new URLSearchParams(location.search).get('user')
  if (u) window.tenure.push(['identify', u])
</script>
<script async src="${site}/tenure.js" data-key="${writeKey}" data-host="${collectorUrl}" data-flush-interval="300"></script>
<style>
  * { box-sizing: content-box; }
  body { margin: 40px; font-family: serif; }
  p { color: rgb(255, 0, 0); font-size: 40px; margin: 30px; }
  button { padding: 20px; background: rgb(0, 128, 0); }
</style>
</head><body>
<h1 id="heading">Quarterly report</h1>
<p id="para">Numbers go here.</p>
<button id="export" data-feature="export">Export</button>
<div id="below" style="height: 400px">Below the button</div>
</body></html>`

let collector: TestCollector
let secretKey: string
let site: { url: string; close(): Promise<void> }
let browser: Browser
const requested: string[] = []

const api = async (path: string, method = 'GET', body?: unknown) => {
  const res = await fetch(`${collector.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

const nudgeEvents = (userId: string) =>
  collector.rows<{ event: string; properties: string }>(
    "SELECT event, properties FROM events FINAL WHERE user_id = {u:String} AND startsWith(event, '$nudge_') ORDER BY timestamp",
    { u: userId },
  )

async function open(user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  page.on('request', (r) => requested.push(r.url()))
  await page.goto(`${site.url}/app/reports?user=${user}`)
  return { context, page }
}

/** Waits until the nudge chunk on the page has its eligibility answer and has acted on it. */
async function chunkDecided(page: Page): Promise<void> {
  await page.waitForResponse((r) => r.url().includes('/v1/nudges/eligibility'), { timeout: 20_000 })
  await page.waitForTimeout(1_500)
}

beforeAll(async () => {
  collector = await startCollector()
  secretKey = collector.collector.bootstrap!.secretKey
  site = await startSite({ '/app': nudgePage(collector.url, collector.writeKey) })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await collector?.close()
})

describe('onboarding nudges in Chromium', () => {
  it('does not load the nudge chunk while the project has no active nudge', async () => {
    const { context, page } = await open('e2e-before')
    await page.waitForResponse((r) => r.url().endsWith('/v1/batch'))
    await page.waitForTimeout(500)
    expect(requested.some((u) => u.includes('tenure-nudges.js'))).toBe(false)
    await context.close()
  })

  it('is configured through the API and started', async () => {
    // The target feature: clicks on the export button.
    const feature = await api('/v1/features', 'POST', { id: 'export', name: 'Export', rules: [{ type: 'element', selector: 'button#export' }] })
    expect(feature.status).toBe(201)
    const created = await api('/v1/nudges', 'POST', {
      id: NUDGE_ID,
      name: 'Export your report',
      featureId: 'export',
      audience: { firstDays: 7, pages: ['/app/reports'] },
      placement: { type: 'tooltip', selector: '#export', side: 'bottom', fallback: 'none' },
      copy: { title: 'New: export', body: 'Send this report to a spreadsheet <img src=x onerror="window.__pwned=1">', cta: { label: 'How it works', url: '/app/help' } },
      frequency: { maxShows: 3, minHoursBetween: 24 },
      holdoutShare: 0.5,
    })
    expect(created.status).toBe(201)
    expect((await api(`/v1/nudges/${NUDGE_ID}/start`, 'POST')).body).toMatchObject({ status: 'active' })

    // A user who already exported in an earlier session.
    const res = await fetch(`${collector.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': CHROME_UA },
      body: JSON.stringify({
        write_key: collector.writeKey,
        sent_at: new Date().toISOString(),
        events: [{
          uuid: crypto.randomUUID(), event: '$click', timestamp: new Date().toISOString(), anonymous_id: 'earlier-session', user_id: USED_USER,
          url: 'https://app.example/app/reports', elements: [{ tag: 'button', id: 'export', text: 'Export', nth: 1 }],
        }],
      }),
    })
    expect(res.status).toBe(200)
    await collector.rows('SELECT 1')
  })

  it('shows an eligible new user the tooltip anchored to its element, isolated from the page, then never again after dismissal', async () => {
    const { context, page } = await open(SHOWN_USER)
    const before = await page.locator('#below').boundingBox()
    const box = page.locator('tenure-nudge .n')
    await box.waitFor({ state: 'visible', timeout: 20_000 })
    expect(requested.some((u) => u.includes('tenure-nudges.js'))).toBe(true)

    // Copy is text, markup included.
    expect(await page.locator('tenure-nudge .t').textContent()).toBe('New: export')
    expect(await page.locator('tenure-nudge .b').textContent()).toBe('Send this report to a spreadsheet <img src=x onerror="window.__pwned=1">')
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await page.locator('tenure-nudge img').count()).toBe(0)

    // Anchored: just below the export button, horizontally overlapping it.
    const anchor = (await page.locator('#export').boundingBox())!
    const tip = (await box.boundingBox())!
    expect(tip.y).toBeGreaterThanOrEqual(anchor.y + anchor.height)
    expect(tip.y).toBeLessThan(anchor.y + anchor.height + 20)
    expect(tip.x).toBeLessThan(anchor.x + anchor.width)
    expect(tip.x + tip.width).toBeGreaterThan(anchor.x)

    // The page's rules do not reach inside, and the page's layout does not move.
    const inside = await page.locator('tenure-nudge .b').evaluate((el) => {
      const s = getComputedStyle(el)
      return { color: s.color, fontSize: s.fontSize }
    })
    expect(inside).toEqual({ color: 'rgb(249, 250, 251)', fontSize: '14px' })
    expect(await page.locator('#para').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 0, 0)')
    expect(await page.locator('#below').boundingBox()).toEqual(before)
    expect(await page.locator('tenure-nudge').evaluate((el) => [el.getBoundingClientRect().width, el.getBoundingClientRect().height])).toEqual([0, 0])

    await page.locator('tenure-nudge .x').click()
    await page.locator('tenure-nudge').waitFor({ state: 'detached' })
    const events = await until(async () => {
      const r = await nudgeEvents(SHOWN_USER)
      return r.length >= 2 ? r : null
    }, 'shown and dismissed events')
    expect(events.map((e) => [e.event, JSON.parse(e.properties).nudge_id])).toEqual([
      ['$nudge_shown', NUDGE_ID],
      ['$nudge_dismissed', NUDGE_ID],
    ])

    await page.reload()
    await chunkDecided(page)
    expect(await page.locator('tenure-nudge').count()).toBe(0)
    await context.close()
  })

  it('shows nothing to a held-out user, across reloads, and records the holdout once', async () => {
    const { context, page } = await open(HELD_USER)
    await chunkDecided(page)
    expect(await page.locator('tenure-nudge').count()).toBe(0)
    await page.reload()
    await chunkDecided(page)
    expect(await page.locator('tenure-nudge').count()).toBe(0)
    const events = await until(async () => {
      const r = await nudgeEvents(HELD_USER)
      return r.length ? r : null
    }, 'held-out event')
    expect(events.map((e) => e.event)).toEqual(['$nudge_held_out'])
    await context.close()
  })

  it('shows nothing to a user who already used the feature', async () => {
    const { context, page } = await open(USED_USER)
    await chunkDecided(page)
    expect(await page.locator('tenure-nudge').count()).toBe(0)
    expect(await nudgeEvents(USED_USER)).toEqual([])
    await context.close()
  })

  it('reports the arms', async () => {
    const asOf = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10)
    const r = await api(`/v1/reports/nudges/${NUDGE_ID}?as_of=${asOf}&min_n=1`)
    expect(r.status).toBe(200)
    expect(r.body.counts).toEqual({ eligible: 2, shown: 1, heldOut: 1, conflicting: 0, clicked: 0, dismissed: 1 })
    expect(r.body.adoption.shown).toMatchObject({ k: 0, n: 1 })
    expect(r.body.adoption.heldOut).toMatchObject({ k: 0, n: 1 })
    expect(r.body.assignment).toMatchObject({ expectedHeldOut: 0.5, observedHeldOut: 0.5, mismatched: 0 })
    const strict = await api(`/v1/reports/nudges/${NUDGE_ID}?as_of=${asOf}`)
    expect(strict.body.status).toBe('not_enough_data')
    expect(strict.body.message).toMatch(/^Not enough data yet/)
  })
})
