import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import { createCollector, type Collector } from '@tenure/collector'
import { textKeyFor, textToken } from '@tenure/analysis'
import { demoAssets, mountDemo } from '../demo-app/serve.js'

/** The demo app in real Chromium, with the built SDK, against a real collector. */
const WRITE_KEY = 'demo-write-key'
const dir = mkdtempSync(join(tmpdir(), 'tenure-demo-app-'))
let collector: Collector
let browser: Browser
let url: string

interface Row {
  event: string
  user_id: string
  account_id: string
  path: string
  feature_key: string
  element_text: string
  properties: string
  elements: string
}

async function events(): Promise<Row[]> {
  await collector.deps.ingest.flush()
  const rs = await collector.deps.store.client.query({
    query: 'SELECT event, user_id, account_id, path, feature_key, element_text, properties, toJSONString(elements) AS elements FROM events FINAL ORDER BY timestamp',
    format: 'JSONEachRow',
  })
  return rs.json<Row>()
}

async function until(check: (rows: Row[]) => boolean): Promise<Row[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const rows = await events()
    if (check(rows) || Date.now() > deadline) return rows
    await new Promise((r) => setTimeout(r, 250))
  }
}

beforeAll(async () => {
  collector = await createCollector({
    dataDir: dir,
    env: { TENURE_WRITE_KEY: WRITE_KEY, TENURE_SECRET_KEY: 'sk_demo_app_test' },
    config: { allowHeadless: true },
  })
  mountDemo(collector.app, demoAssets({ writeKey: WRITE_KEY }))
  ;({ url } = await collector.listen(0))
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  })
})

afterAll(async () => {
  await browser?.close()
  await collector?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('demo app', () => {
  it('signs in with identify and group, and its features reach the store marked or definable', async () => {
    const page = await browser.newPage()
    await page.goto(`${url}/demo/`)
    await page.fill('#email', 'grace@example.com')
    await page.fill('#company', 'Hopper Labs')
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard.html')
    await page.click('text=Share')
    await page.click('a.nav-link:text("Integrations")')
    await page.waitForURL('**/integrations.html')
    await page.click('button.connect >> nth=0')
    await page.click('a.nav-link:text("Projects")')
    await page.waitForURL('**/projects.html')
    await page.fill('#search-box', 'roadmap')
    await page.click('#search-button')
    await page.click('text=Export CSV')
    // Leaving the page sends what is queued.
    await page.goto('about:blank')
    await page.close()

    // One person so far: element text is stored as tokens (public once k people produced it).
    const token = textToken.bind(null, await textKeyFor(collector.deps.store.client, 'default'))
    const rows = await until((r) => r.some((e) => e.event === 'search_performed') && r.some((e) => e.element_text === token('Export CSV')))
    const identify = rows.find((e) => e.event === '$identify')
    expect(identify?.user_id).toMatch(/^user_/)
    const group = rows.find((e) => e.event === '$group')
    expect(group?.account_id).toMatch(/^acct_/)
    expect(JSON.parse(group!.properties)).toMatchObject({ name: 'Hopper Labs', plan: 'Team' })

    const share = rows.find((e) => e.feature_key === 'dashboard.share')
    expect(share?.event).toBe('$click')
    expect(share?.account_id).toBe(group!.account_id)
    // Not marked in the page: found by its text and class, as a retroactive definition would.
    const connect = rows.find((e) => e.event === '$click' && e.element_text === token('Connect'))
    expect(connect?.path).toBe('/demo/integrations.html')
    expect(connect?.feature_key).toBe('')
    expect(connect?.elements).toContain('connect')
    expect(rows.find((e) => e.event === 'search_performed')?.properties).toContain('results')
    expect(rows.some((e) => e.event === '$pageview' && e.path === '/demo/projects.html')).toBe(true)

    // What people typed never leaves the page: not the e-mail, not the password, not the search.
    const all = JSON.stringify(rows)
    for (const typed of ['grace@example.com', 'demo-password', 'roadmap']) expect(all).not.toContain(typed)
  }, 60_000)
})
