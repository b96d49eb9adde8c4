import type { Browser, Page } from 'playwright-core'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fmtInstant, fmtMoney, fmtNum } from '@tenure/dashboard'
import { demoData, type DemoData } from './demo-data.js'
import { api, column, figure, launchChromium, loadDemo, login, newPage, screenshot, settle, startDemoCollector, type DemoCollector, type DemoProject } from './harness.js'

interface Profile { person: string; firstSeen: string; lastSeen: string; activeDays: number; events: number; accounts: { accountId: string }[]; features: { id: string; name: string }[] }
interface Timeline { events: { uuid: string; timestamp: string; event: string; elementText: string; url: string }[]; next_cursor: string | null }
interface WorkRow { accountId: string; name: string; arr: number; health: number; band: string; daysToRenewal: number | null; nextRenewal: string | null }
interface AccountProfile { name: string; people: { person: string; events: number }[]; worklist: WorkRow | null }

describe('people, worklists and live events in Chromium', () => {
  let c: DemoCollector
  let browser: Browser
  let a: DemoProject
  let data: DemoData
  let page: Page
  let person: string

  beforeAll(async () => {
    c = await startDemoCollector()
    const boot = c.collector.bootstrap!
    a = { writeKey: boot.writeKey, secretKey: boot.secretKey, projectId: boot.project.id }
    data = demoData({ seed: 11, accounts: 12, prefix: 'acc' })
    await loadDemo(c, a, data)
    person = data.events.find((e) => e.user_id && e.account_id)!.user_id!
    browser = await launchChromium()
    page = (await newPage(browser)).page
    await login(page, c.url, a.secretKey)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await c?.close()
  })

  it('finds a person and shows their profile and timeline as the API does', async () => {
    await page.goto(`${c.url}/app/people?q=${encodeURIComponent(person.slice(0, -1))}`)
    await settle(page)
    expect(await column(page, 'people', 'id')).toContain(person)
    await Promise.all([page.waitForNavigation(), page.click(`table[data-table="people"] a[href="/app/person/${encodeURIComponent(person)}"]`)])
    await settle(page)
    const profile = await api<Profile>(c, a.secretKey, `/v1/people/${encodeURIComponent(person)}`)
    expect(await figure(page, 'active-days')).toBe(fmtNum(profile.activeDays))
    expect(await figure(page, 'events')).toBe(fmtNum(profile.events))
    expect(await figure(page, 'first-seen')).toBe(fmtInstant(profile.firstSeen))
    expect(await figure(page, 'last-seen')).toBe(fmtInstant(profile.lastSeen))
    expect(await column(page, 'accounts', 'current')).toHaveLength(profile.accounts.length)
    expect(await column(page, 'features', 'feature_id')).toEqual(profile.features.map((f) => f.name))
    const first = await api<Timeline>(c, a.secretKey, `/v1/people/${encodeURIComponent(person)}/events?limit=50`)
    expect(await column(page, 'timeline', 'event')).toEqual(first.events.map((e) => e.event))
    expect(await column(page, 'timeline', 'timestamp')).toEqual(first.events.map((e) => fmtInstant(e.timestamp)))
    await screenshot(page, '20-person')
    expect(first.next_cursor).not.toBeNull()
    await Promise.all([page.waitForNavigation(), page.click('[data-page=older]')])
    await settle(page)
    const second = await api<Timeline>(c, a.secretKey, `/v1/people/${encodeURIComponent(person)}/events?limit=50&cursor=${first.next_cursor}`)
    expect(await column(page, 'timeline', 'element_text')).toEqual(second.events.map((e) => e.elementText))
    expect(await column(page, 'timeline', 'url')).toEqual(second.events.map((e) => e.url))
    // Filtered by event type, as the API filters it.
    await page.goto(`${c.url}/app/person/${encodeURIComponent(person)}?event=%24pageview`)
    await settle(page)
    const views = await api<Timeline>(c, a.secretKey, `/v1/people/${encodeURIComponent(person)}/events?event=%24pageview`)
    expect(await column(page, 'timeline', 'event')).toEqual(views.events.map(() => '$pageview'))
  })

  it('shows the worklist filtered and sorted like the API, and downloads it as CSV', async () => {
    const rows = (await api<{ rows: WorkRow[] }>(c, a.secretKey, '/v1/reports/worklist?band=red,yellow&sort=arr&dir=desc')).rows
    const q = 'band=red,yellow&by=arr&dir=desc'
    await page.goto(`${c.url}/app/accounts/worklist?${q}`)
    await settle(page)
    expect(await column(page, 'worklist', 'account_id')).toEqual(rows.map((r) => r.name || r.accountId))
    await screenshot(page, '21-worklist')
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), `/app/accounts/worklist?${q}&csv=worklist`)
    const lines = csv.trim().split('\r\n')
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['account_id', 'name', 'health'])
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(rows.map((r) => r.accountId))
    // Links lead to the account page, which names the account and lists its people like the API.
    const top = rows[0] ?? (await api<{ rows: WorkRow[] }>(c, a.secretKey, '/v1/reports/worklist')).rows[0]!
    await page.goto(`${c.url}/app/account/${encodeURIComponent(top.accountId)}`)
    await settle(page)
    const profile = await api<AccountProfile>(c, a.secretKey, `/v1/accounts/${encodeURIComponent(top.accountId)}/profile`)
    expect(await page.locator('h1').innerText()).toBe(profile.name ? `${profile.name} (${top.accountId})` : `Account ${top.accountId}`)
    expect(await column(page, 'people', 'person')).toEqual(profile.people.map((p) => p.person))
    expect(await figure(page, 'next-renewal')).toBe(profile.worklist?.nextRenewal ?? '—')
    await screenshot(page, '22-account-profile')
  })

  it('shows the renewal calendar of the next 90 days like the API', async () => {
    const cal = await api<{ currency: string; renewals: (WorkRow & { renewalArr: number })[] }>(c, a.secretKey, '/v1/reports/renewal-calendar')
    await page.goto(`${c.url}/app/accounts/calendar`)
    await settle(page)
    expect(await column(page, 'calendar', 'next_renewal')).toEqual(cal.renewals.map((r) => r.nextRenewal))
    expect(await column(page, 'calendar', 'renewal_arr')).toEqual(cal.renewals.map((r) => fmtMoney(r.renewalArr, cal.currency)))
    expect(await figure(page, 'due')).toBe(fmtNum(cal.renewals.length))
    await screenshot(page, '23-renewal-calendar')
  })

  it('adds newly stored events to the live page as they arrive, filtered', async () => {
    await page.goto(`${c.url}/app/live?event=live_check`)
    await settle(page)
    await page.waitForSelector('[data-live=open]', { timeout: 15_000 })
    const uuid = randomUUID()
    const res = await fetch(`${c.url}/v1/batch`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ write_key: a.writeKey, sent_at: new Date().toISOString(), events: [
        { uuid, event: 'live_check', timestamp: new Date().toISOString(), anonymous_id: 'anon-live', user_id: person, url: 'https://app.example.com/live-check' },
        { uuid: randomUUID(), event: 'other_event', timestamp: new Date().toISOString(), anonymous_id: 'anon-live', user_id: person, url: 'https://app.example.com/x' },
      ] }),
    })
    expect(res.status).toBe(200)
    await c.collector.deps.ingest.flush()
    await page.waitForSelector(`table[data-table="live"] tr[data-uuid="${uuid}"]`, { timeout: 15_000 })
    const live = await api<{ events: { uuid: string; event: string; person: string; url: string }[] }>(c, a.secretKey, '/v1/events/live?event=live_check')
    expect(live.events.map((e) => e.uuid)).toEqual([uuid])
    expect(await column(page, 'live', 'event')).toEqual(['live_check'])
    expect(await column(page, 'live', 'person')).toEqual([person])
    expect(await column(page, 'live', 'url')).toEqual(['https://app.example.com/live-check'])
    await screenshot(page, '24-live')
  })

  it('sorts a table by its heading, in place with the script and on the server without it', async () => {
    const rows = (await api<{ rows: WorkRow[] }>(c, a.secretKey, '/v1/reports/worklist?sort=arr&dir=asc')).rows
    expect(rows.length).toBeGreaterThan(1)
    await page.goto(`${c.url}/app/accounts/worklist`)
    await settle(page)
    await page.click('table[data-table="worklist"] th a[data-sort-col="arr"]')
    // Numeric columns sort descending first, then ascending.
    await page.click('table[data-table="worklist"] th a[data-sort-col="arr"]')
    const byArr = [...rows].sort((x, y) => x.arr - y.arr).map((r) => fmtMoney(r.arr, 'USD'))
    expect(await column(page, 'worklist', 'arr')).toEqual(byArr)
    expect(decodeURIComponent(page.url())).toContain('sort=worklist:arr:asc')
    const noScript = await browser.newContext({ javaScriptEnabled: false })
    await noScript.addCookies(await page.context().cookies())
    const plain = await noScript.newPage()
    await plain.goto(`${c.url}/app/accounts/worklist?sort=worklist%3Aarr%3Aasc`)
    await plain.waitForSelector('.report')
    expect(await column(plain, 'worklist', 'arr')).toEqual(byArr)
    await noScript.close()
  })

  it('carries the date range and time zone to the next page', async () => {
    const to = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10)
    const from = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10)
    await page.goto(`${c.url}/app?from=${from}&to=${to}&tz=Europe%2FBerlin`)
    await settle(page)
    expect(await page.locator('#p-tz').inputValue()).toBe('Europe/Berlin')
    await page.goto(`${c.url}/app/retention`)
    await settle(page)
    const url = new URL(page.url())
    expect([url.searchParams.get('from'), url.searchParams.get('to'), url.searchParams.get('tz')]).toEqual([from, to, 'Europe/Berlin'])
    await page.goto(`${c.url}/app/accounts/health`)
    expect(new URL(page.url()).searchParams.get('as_of')).toBe(to)
    await page.goto(`${c.url}/app/person/${encodeURIComponent(person)}`)
    expect(new URL(page.url()).searchParams.get('tz')).toBe('Europe/Berlin')
  })

  it('replaces charts by their tables at 390 px', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } })
    await phone.addCookies(await page.context().cookies())
    const p = await phone.newPage()
    await p.goto(`${c.url}/app/account/${encodeURIComponent(data.accounts[0]!)}`)
    await settle(p)
    expect(await p.locator('[data-chart-block]').first().isVisible()).toBe(false)
    expect(await p.locator('table[data-table="weekly"]').isVisible()).toBe(true)
    // Nothing wider than the screen outside the tables' own scroll boxes.
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await screenshot(p, '25-account-390px')
    await phone.close()
  })
})
