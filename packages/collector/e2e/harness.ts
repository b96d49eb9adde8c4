import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createCollector, type Collector } from '../src/index.js'
import type { DemoData } from './demo-data.js'

export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test-artifacts', 'dashboard')
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const MOBILE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

export interface DemoProject {
  writeKey: string
  secretKey: string
  projectId: string
}

export interface DemoCollector {
  collector: Collector
  url: string
  close(): Promise<void>
}

export async function startDemoCollector(): Promise<DemoCollector> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenure-dashboard-e2e-'))
  const collector = await createCollector({ dataDir, env: {}, config: { rateLimit: { eventsPerSecond: 1_000_000, burst: 1_000_000 } } })
  const { url } = await collector.listen(0)
  return {
    collector,
    url,
    async close() {
      await collector.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Loads a history through the collector's own HTTP paths: events by /v1/batch, accounts by /v1/accounts/import. */
export async function loadDemo(c: DemoCollector, project: DemoProject, data: DemoData): Promise<void> {
  const send = async (events: DemoData['events'], ua: string) => {
    for (let i = 0; i < events.length; i += 1000) {
      const res = await fetch(`${c.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': ua },
        body: JSON.stringify({ write_key: project.writeKey, sent_at: new Date().toISOString(), events: events.slice(i, i + 1000) }),
      })
      const body = (await res.json()) as { accepted: number; rejected: unknown[] }
      if (res.status !== 200 || body.rejected.length) throw new Error(`batch refused: ${res.status} ${JSON.stringify(body).slice(0, 500)}`)
    }
  }
  await send(data.events, UA)
  await send(data.sharedSeatEvents, MOBILE_UA)
  for (const [kind, csv] of [['accounts', data.accountsCsv], ['contracts', data.contractsCsv]] as const) {
    const res = await fetch(`${c.url}/v1/accounts/import?kind=${kind}`, {
      method: 'POST', headers: { authorization: `Bearer ${project.secretKey}`, 'content-type': 'text/csv' }, body: csv,
    })
    if (res.status !== 200) throw new Error(`import of ${kind} failed: ${res.status} ${await res.text()}`)
  }
  await c.collector.deps.ingest.flush()
}

/** GET on the JSON API with the secret key. */
export async function api<T>(c: DemoCollector, key: string, path: string): Promise<T> {
  const res = await fetch(`${c.url}${path}`, { headers: { authorization: `Bearer ${key}` } })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  return { context, page }
}

/** Logs in through the form, as a person would. */
export async function login(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/app/login`)
  await page.fill('#key', key)
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
}

/** Waits for the streamed report and its charts, then saves a full-page screenshot. */
export async function settle(page: Page): Promise<void> {
  await page.waitForSelector('.report', { timeout: 60_000 })
  await page.waitForLoadState('load')
  await page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((el) => el.getAttribute('data-rendered')))
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** The text of a headline figure, `[data-figure=<id>] dd`. */
export function figure(page: Page, id: string): Promise<string> {
  return page.locator(`[data-figure="${id}"] dd`).innerText()
}

/** A table's visible cells as text, row by row. */
export function tableText(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`table[data-table="${id}"] tbody tr`, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())))
}

/** One column of a table, by its CSV key, as shown. */
export function column(page: Page, table: string, key: string): Promise<string[]> {
  return page.$$eval(`table[data-table="${table}"] tbody td[data-col="${key}"]`, (cells) => cells.map((td) => (td as HTMLElement).innerText.trim()))
}
