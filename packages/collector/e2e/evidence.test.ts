import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature, createNudge, isHeldOut, startNudge, type HighRetentionReport } from '@tenure/analysis'
import { prng } from './demo-data.js'
import { api, column, launchChromium, login, newPage, screenshot, settle, startDemoCollector, type DemoCollector } from './harness.js'

/**
 * Evidence levels on the high-retention page, in Chromium: a feature whose nudge experiment shows
 * a real effect is "confirmed by experiment", a confounded one whose nudge shows none is "not
 * confirmed", a flagged one without an experiment is "association (adjusted)" with a one-click
 * "test with a nudge". Users join 40…21 days ago; each nudge records its arm on the first visit.
 */
const DAY = 86_400_000
const day0 = Date.now() - 40 * DAY
const iso = (d: number) => new Date(d).toISOString().slice(0, 10)

function history(users: number) {
  const r = prng(19)
  const events: Record<string, unknown>[] = []
  let n = 0
  const push = (u: string, t: number, event: string, properties: Record<string, unknown> = {}) =>
    events.push({ uuid: `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`, event, timestamp: new Date(t).toISOString(), anonymous_id: `a_${u}`, user_id: u, session_id: `s_${u}_${Math.floor(t / DAY)}`, url: 'https://app.example.com/home', properties })
  for (let i = 0; i < users; i++) {
    const u = `u${i}`
    const t0 = day0 + Math.floor(r() * 20) * DAY + 10 * 3_600_000
    const heavy = r() < 0.3
    push(u, t0, '$pageview')
    const nudged = { 'n-real': !isHeldOut(u, 'n-real', 0.5), 'n-confounded': !isHeldOut(u, 'n-confounded', 0.5) }
    for (const [id, shown] of Object.entries(nudged)) push(u, t0 + 1000, shown ? '$nudge_shown' : '$nudge_held_out', { nudge_id: id })
    const real = r() < 0.1 || (nudged['n-real'] && r() < 0.7)
    const confounded = r() < (heavy ? 0.6 : 0.05) || (nudged['n-confounded'] && r() < 0.7)
    const plain = r() < 0.3
    if (real) push(u, t0 + 2000, 'feature:real')
    if (confounded) push(u, t0 + 3000, 'feature:confounded')
    if (plain) push(u, t0 + 4000, 'feature:plain')
    const p = (heavy ? 0.55 : 0.15) + (real ? 0.35 : 0) + (plain ? 0.35 : 0)
    if (r() < p) push(u, t0 + 7 * DAY, '$pageview')
  }
  return events
}

describe('evidence levels on the high-retention page', () => {
  let c: DemoCollector
  let browser: Browser
  let page: Page
  let key: string
  const query = `from=${iso(day0)}&to=${iso(day0 + 20 * DAY)}&n=7&window=7&min_n=30`

  beforeAll(async () => {
    c = await startDemoCollector()
    const p = await c.collector.deps.projects.create({ name: 'Experiments' })
    key = p.secretKey
    const events = history(1200)
    for (let i = 0; i < events.length; i += 1000) {
      const res = await fetch(`${c.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ write_key: p.writeKey, sent_at: new Date().toISOString(), events: events.slice(i, i + 1000) }) })
      const body = (await res.json()) as { rejected?: unknown[] }
      expect([res.status, JSON.stringify(body).slice(0, 300)]).toEqual([200, expect.any(String)])
      expect(body.rejected ?? []).toEqual([])
    }
    await c.collector.deps.ingest.flush()
    const client = c.collector.deps.store.client
    for (const f of ['real', 'confounded', 'plain']) await createFeature(client, p.project.id, { id: f, name: f, rules: [{ type: 'event', name: `feature:${f}` }] })
    for (const f of ['real', 'confounded']) {
      await createNudge(client, p.project.id, { id: `n-${f}`, name: `Try ${f}`, featureId: f, placement: { type: 'banner', position: 'bottom' }, copy: { body: `Try ${f}` }, holdoutShare: 0.5 })
      await startNudge(client, p.project.id, `n-${f}`)
    }
    browser = await launchChromium()
    page = (await newPage(browser)).page
    await login(page, c.url, key)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await c?.close()
  })

  it('shows the API levels per feature, a confirmed and a not-confirmed feature, and a prefilled nudge link', async () => {
    const h = await api<HighRetentionReport>(c, key, `/v1/analysis/high-retention?${query}&timezone=UTC`)
    const level = (id: string) => h.features.find((f) => f.featureId === id)!.evidence
    expect(level('real').level).toBe('confirmed')
    expect(level('confounded').level).toBe('not_confirmed')
    expect(level('plain').level).toBe('association')
    await page.goto(`${c.url}/app/retention/features?${query}&tz=UTC`)
    await settle(page)
    const tested = h.features.filter((f) => f.status === 'tested')
    const shown = await column(page, 'high-retention', 'evidence')
    expect(shown.map((s) => s.split('\n')[0]!.replace(/ test with a nudge$/, ''))).toEqual(tested.map((f) => f.evidence.label))
    const links = await page.$$eval('table[data-table="high-retention"] a.test-with-nudge', (as) => as.map((a) => a.getAttribute('href')))
    expect(links).toEqual(tested.filter((f) => f.evidence.testWithNudge).map((f) => `/app/nudges/new?feature=${f.featureId}`))
    await screenshot(page, '19-evidence-levels')
    if (links.length) {
      await page.click('table[data-table="high-retention"] a.test-with-nudge')
      await page.waitForLoadState('load')
      expect(new URL(page.url()).pathname).toBe('/app/nudges/new')
      expect(await page.locator('[name=featureId], [name=feature]').first().inputValue()).toBe(tested.find((f) => f.evidence.testWithNudge)!.featureId)
    }
  })
})
