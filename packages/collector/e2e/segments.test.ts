import type { Browser, Page } from 'playwright-core'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fmtNum, fmtPct } from '@tenure/dashboard'
import { column, figure, launchChromium, login, newPage, screenshot, settle, startDemoCollector, type DemoCollector } from './harness.js'

const day = (offset: number, hour = 12): string => {
  const d = new Date()
  d.setUTCHours(hour, 0, 0, 0)
  d.setUTCDate(d.getUTCDate() + offset)
  return d.toISOString()
}
const FROM = day(-20).slice(0, 10)

/*
 * Six people start 20 days ago: a1–a3 admins, m1–m3 members (identify traits); a1, a2 and m1 are back on day 7.
 * Day-7 retention: everyone 3/6 = 50%; admins 2/3 = 66.7%.
 */
describe('segment picker in Chromium', () => {
  let c: DemoCollector
  let browser: Browser
  let page: Page
  let secret: string

  beforeAll(async () => {
    c = await startDemoCollector()
    const boot = c.collector.bootstrap!
    secret = boot.secretKey
    // Admins work at acme, members at bolt (events carrying both ids say who belongs where).
    const ev = (user: string, at: string, event = '$pageview', properties: Record<string, unknown> = {}) => ({
      uuid: randomUUID(), event, timestamp: at, anonymous_id: `a-${user}`, user_id: user, account_id: user.startsWith('a') ? 'acme' : 'bolt', url: 'https://app.example.com/', properties,
    })
    const events = ['a1', 'a2', 'a3', 'm1', 'm2', 'm3'].flatMap((u) => [
      ev(u, day(-20)),
      ev(u, day(-20, 13), '$identify', { role: u.startsWith('a') ? 'admin' : 'member' }),
      ...(['a1', 'a2', 'm1'].includes(u) ? [ev(u, day(-13))] : []),
    ])
    const res = await fetch(`${c.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' },
      body: JSON.stringify({ write_key: boot.writeKey, sent_at: new Date().toISOString(), events }),
    })
    expect(res.status).toBe(200)
    await c.collector.deps.ingest.flush()
    const saved = await fetch(`${c.url}/v1/segments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'admins', name: 'Admins', definition: { conditions: [{ type: 'property', property: 'person.role', op: 'eq', value: 'admin' }] } }),
    })
    expect(saved.status).toBe(201)
    // Both accounts pay through the whole test window.
    const contracts = ['contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats',
      `c-acme,acme,${day(-200).slice(0, 10)},${day(165).slice(0, 10)},12000,USD,annual,5`,
      `c-bolt,bolt,${day(-200).slice(0, 10)},${day(165).slice(0, 10)},6000,USD,annual,5`].join('\n')
    const imported = await fetch(`${c.url}/v1/accounts/import?kind=contracts`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'text/csv' }, body: contracts })
    expect(imported.status).toBe(200)
    browser = await launchChromium()
    page = (await newPage(browser)).page
    await login(page, c.url, secret)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await c?.close()
  })

  const selected = () => page.$eval('#p-segment', (el) => (el as HTMLSelectElement).value)

  it('restricts the retention page to the chosen segment and carries it to the next page', async () => {
    await page.goto(`${c.url}/app/retention?from=${FROM}&to=${FROM}&days=7&cohort=day`)
    await settle(page)
    expect(await figure(page, 'cohort-size')).toBe(fmtNum(6))
    expect(await figure(page, 'day-7')).toBe(fmtPct(3 / 6))
    expect(await page.$$eval('#p-segment option', (os) => os.map((o) => (o as HTMLOptionElement).label))).toEqual(['Everyone', 'Admins'])

    await page.selectOption('#p-segment', 'admins')
    await Promise.all([page.waitForNavigation(), page.click('form.params button[type=submit]')])
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBe('admins')
    expect(await figure(page, 'cohort-size')).toBe(fmtNum(3))
    expect(await figure(page, 'day-7')).toBe(fmtPct(2 / 3))
    expect(await page.locator('[data-segment=admins]').innerText()).toContain('Only people in the segment Admins')
    await screenshot(page, '30-retention-segment')

    // The tab to the feature page keeps the segment; so does a bare visit to either page (the carried view).
    await Promise.all([page.waitForNavigation(), page.click('nav.tabs a[href^="/app/retention/features"]')])
    await settle(page)
    expect(await selected()).toBe('admins')
    await page.goto(`${c.url}/app/retention`)
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBe('admins')
    expect(await selected()).toBe('admins')
  })

  it('drops the carried segment when Everyone is chosen, and refuses an unknown one', async () => {
    await page.goto(`${c.url}/app/retention?from=${FROM}&to=${FROM}&days=7&cohort=day&segment=admins`)
    await settle(page)
    await page.selectOption('#p-segment', '')
    await Promise.all([page.waitForNavigation(), page.click('form.params button[type=submit]')])
    await settle(page)
    expect(await figure(page, 'cohort-size')).toBe(fmtNum(6))
    expect(await page.locator('[data-segment]').count()).toBe(0)
    await page.goto(`${c.url}/app/retention`)
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBeNull()
    expect(await selected()).toBe('')

    const res = await page.goto(`${c.url}/app/retention?from=${FROM}&to=${FROM}&segment=nobody`)
    expect(res!.status()).toBe(400)
    expect(await page.locator('[role=alert], .error').first().innerText()).toContain('no saved segment nobody')
  })

  it('carries the segment to a nudge report page', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${c.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect((await post('/v1/features', { id: 'home', name: 'Home', rules: [{ type: 'url', pattern: '/' }] })).status).toBe(201)
    expect((await post('/v1/nudges', { id: 'n-home', name: 'Go home', featureId: 'home', placement: { type: 'banner', position: 'bottom' }, copy: { body: 'Home' } })).status).toBe(201)
    await page.goto(`${c.url}/app/retention?from=${FROM}&to=${FROM}&days=7&segment=admins`)
    await settle(page)
    await page.goto(`${c.url}/app/nudges/n-home`)
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBe('admins')
    expect(await selected()).toBe('admins')
    expect(await page.locator('.report [role=alert]').count()).toBe(0)
  })

  it('has the picker on the account pages, carried from a retention page and between the account tabs', async () => {
    const yesterday = day(-1).slice(0, 10)
    await page.goto(`${c.url}/app/retention?from=${FROM}&to=${yesterday}&days=7&segment=admins`)
    await settle(page)
    // A bare visit takes the carried view: the range's last day as the day, and the segment.
    await page.goto(`${c.url}/app/accounts/worklist`)
    await settle(page)
    const url = new URL(page.url())
    expect(url.searchParams.get('segment')).toBe('admins')
    expect(url.searchParams.get('as_of')).toBe(yesterday)
    // Only the admins' account; everyone's has both.
    expect(await column(page, 'worklist', 'account_id')).toEqual(['acme'])
    expect(await selected()).toBe('admins')
    expect(await page.$$eval('#p-segment option', (os) => os.map((o) => (o as HTMLOptionElement).label))).toEqual(['Everyone', 'Admins'])
    expect(await page.locator('[data-segment=admins]').innerText()).toContain('Only accounts in the segment Admins')
    expect(await page.locator('.report[data-error-status]').count()).toBe(0)
    await screenshot(page, '31-worklist-segment')

    // The tabs keep it.
    await Promise.all([page.waitForNavigation(), page.click('nav.tabs a[href^="/app/accounts/health"]')])
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBe('admins')
    expect(await selected()).toBe('admins')
    expect(await page.locator('.report[data-error-status]').count()).toBe(0)

    // Everyone from the account page's own picker drops it for the next page too.
    expect(await column(page, 'accounts', 'account_id')).toEqual(['acme'])
    await page.selectOption('#p-segment', '')
    await Promise.all([page.waitForNavigation(), page.click('form.params button[type=submit]')])
    await settle(page)
    expect(await page.locator('[data-segment]').count()).toBe(0)
    expect(await column(page, 'accounts', 'account_id')).toEqual(['acme', 'bolt'])
    await page.goto(`${c.url}/app/retention`)
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBeNull()
  })

  it('keeps the segment through one account\'s page, which shows the account whatever it is', async () => {
    const yesterday = day(-1).slice(0, 10)
    await page.goto(`${c.url}/app/accounts/worklist?as_of=${yesterday}&segment=admins`)
    await settle(page)
    await Promise.all([page.waitForNavigation(), page.click('table[data-table="worklist"] a[href^="/app/account/acme"]')])
    await settle(page)
    expect(await page.locator('#p-segment').count()).toBe(0)
    // Back to the lists: the segment chosen before comes along.
    await Promise.all([page.waitForNavigation(), page.click('nav.tabs a[href^="/app/accounts/worklist"]')])
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBe('admins')
    expect(await selected()).toBe('admins')
    expect(await column(page, 'worklist', 'account_id')).toEqual(['acme'])
  })

  it('restricts the overview\'s people and accounts to the segment, its stored events staying the project\'s', async () => {
    // 20 days ago: six people (three admins at acme, three members at bolt) with a page view and an identify each; 13 days ago: a1, a2, m1 again.
    const range = `from=${FROM}&to=${day(-1).slice(0, 10)}&tz=UTC`
    await page.goto(`${c.url}/app?${range}&segment=`)
    await settle(page)
    expect([await figure(page, 'active-users'), await figure(page, 'active-accounts'), await figure(page, 'new-users'), await figure(page, 'events')])
      .toEqual([fmtNum(6), fmtNum(2), fmtNum(6), fmtNum(15)])
    expect(await page.locator('[data-segment]').count()).toBe(0)

    await page.selectOption('#p-segment', 'admins')
    await Promise.all([page.waitForNavigation(), page.click('form.params button[type=submit]')])
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBe('admins')
    expect([await figure(page, 'active-users'), await figure(page, 'active-accounts'), await figure(page, 'new-users'), await figure(page, 'events')])
      .toEqual([fmtNum(3), fmtNum(1), fmtNum(3), fmtNum(15)])
    expect(await page.locator('[data-figure="events"]').innerText()).toContain('not only the segment')
    expect(await page.locator('[data-segment=admins]').innerText()).toContain('Only people in the segment Admins')
    await screenshot(page, '32-overview-segment')

    // Carried both ways: to a bare retention page, and back to a bare overview.
    await page.goto(`${c.url}/app/retention`)
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBe('admins')
    await page.goto(`${c.url}/app`)
    await settle(page)
    expect(new URL(page.url()).searchParams.get('segment')).toBe('admins')
    expect(await selected()).toBe('admins')
    expect(await figure(page, 'active-users')).toBe(fmtNum(3))
  })

  it('finds only the segment\'s people in the person search', async () => {
    // Every anonymous id is a-<user>, so "a" matches all six people; the admins are a1–a3.
    await page.goto(`${c.url}/app/people?q=a&segment=`)
    await settle(page)
    expect((await column(page, 'people', 'id')).sort()).toEqual(['a1', 'a2', 'a3', 'm1', 'm2', 'm3'])
    await page.selectOption('#p-segment', 'admins')
    await Promise.all([page.waitForNavigation(), page.click('form.params button[type=submit]')])
    await settle(page)
    expect((await column(page, 'people', 'id')).sort()).toEqual(['a1', 'a2', 'a3'])
    expect(await page.locator('[data-segment=admins]').innerText()).toContain('Only people in the segment Admins')
  })

  it('breaks retention down by a property, groups below the smallest size marked', async () => {
    // admins a1–a3: a1, a2 back on day 7 (2/3); members m1–m3: m1 back (1/3); nobody is without a role.
    const page0 = `${c.url}/app/retention?from=${FROM}&to=${FROM}&days=7&cohort=day&segment=`
    const base = `${page0}&breakdown=person.role`
    await page.goto(`${base}&min_n=3`)
    await settle(page)
    expect(await page.$$eval('#p-breakdown option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(expect.arrayContaining(['', 'person.role', 'first.browser']))
    expect(await column(page, 'groups', 'value')).toEqual(['admin', 'member', '(none)'])
    expect(await column(page, 'groups', 'size')).toEqual([fmtNum(3), fmtNum(3), fmtNum(0)])
    expect(await column(page, 'groups', 'd7_rate')).toEqual([fmtPct(2 / 3), fmtPct(1 / 3), '—'])
    expect(await column(page, 'groups', 'status')).toEqual(['enough', 'enough', 'not enough data'])
    // Everyone's figures stay above the groups.
    expect(await figure(page, 'day-7')).toBe(fmtPct(3 / 6))
    expect(await page.locator('[data-chart-block="group-curves"]').count()).toBe(1)
    await screenshot(page, '33-retention-breakdown')
    // The groups' CSV has the counts behind each rate and the status.
    const href = await page.locator('a[href*="csv=groups"]').first().getAttribute('href')
    const csv = (await page.evaluate(async (h) => (await fetch(h!)).text(), href)).trim().split(/\r?\n/)
    expect(csv[0]).toBe('value,size,d7_rate,d7_retained,d7_eligible,d7_censored,d7_low,d7_high,status')
    expect(csv.slice(1).map((l) => l.split(',')).map((f) => [f[0], f[1], f[3], f[4], f.at(-1)])).toEqual([
      ['admin', '3', '2', '3', 'ok'], ['member', '3', '1', '3', 'ok'], ['(none)', '0', '0', '0', 'not_enough_data'],
    ])

    await page.goto(`${base}&min_n=4`)
    await settle(page)
    expect(await page.locator('table[data-table="groups"] [data-status=not_enough_data]').count()).toBe(3)
    expect(await page.locator('[data-chart-block="group-curves"]').count()).toBe(0)

    const bad = await page.goto(`${page0}&breakdown=person.nope`)
    expect(bad!.status()).toBe(400)
    expect(await page.locator('[role=alert], .error').first().innerText()).toContain('no stored property person.nope')
  })
})
