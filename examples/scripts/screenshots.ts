/**
 * Screenshots of the dashboard for the README, taken from a running demo:
 *   TENURE_URL=http://127.0.0.1:8787 TENURE_SECRET_KEY=sk_… npx tsx scripts/screenshots.ts
 * Writes docs/screenshots/*.png at the repository root.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const OUT = join(ROOT, 'docs/screenshots')
const url = process.env.TENURE_URL ?? 'http://127.0.0.1:8787'
const key = process.env.TENURE_SECRET_KEY
if (!key) throw new Error('set TENURE_SECRET_KEY (printed by pnpm start)')

const PAGES: [string, string][] = [
  ['overview', '/app'],
  ['high-retention-features', '/app/retention/features'],
  ['retention', '/app/retention'],
  ['revenue', '/app/accounts'],
  ['health', '/app/accounts/health'],
  ['demo-app', '/demo/dashboard.html'],
]

mkdirSync(OUT, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
  await page.goto(`${url}/app/login`)
  await page.fill('input[name=key], input[type=password]', key)
  await page.press('input[name=key], input[type=password]', 'Enter')
  await page.waitForURL(`${url}/app**`)
  for (const [name, path] of PAGES) {
    if (name === 'demo-app') {
      await page.goto(`${url}/demo/`)
      await page.click('button[type=submit]')
      await page.waitForURL('**/dashboard.html')
    } else {
      await page.goto(`${url}${path}`)
    }
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path: join(OUT, `${name}.png`) })
    console.log(`docs/screenshots/${name}.png`)
  }
} finally {
  await browser.close()
}
