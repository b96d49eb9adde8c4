import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AhaReport, FeatureRetentionReport, HighRetentionReport, RetentionReport } from '@tenure/analysis'
import { fmtInterval, fmtMoney, fmtNum, fmtP, fmtPct, fmtRatio } from '@tenure/dashboard'
import { demoData, type DemoData } from './demo-data.js'
import { api, column, figure, launchChromium, loadDemo, login, newPage, screenshot, settle, startDemoCollector, tableText, type DemoCollector, type DemoProject } from './harness.js'

interface Revenue { mrr: number; arr: number; currency: string; netRetention: { nrr: number | null; grr: number | null } | null; renewals: { logoRenewalRate: number | null; accountsDue: number }; months: unknown[] }
interface Renewals { featureRenewal: { features: { feature: string; q: number | null; comparison: { group: { n: number; rate: number | null; low: number | null; high: number | null } } }[]; notEnoughData: { feature: string }[] } }
interface Health { validation: { tested: { auc: { auc: number } | null } }; accounts: { accountId: string }[]; quadrants: { quadrant: string; accounts: number }[] }

const today = () => new Date().toISOString().slice(0, 10)
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)

describe('dashboard in Chromium on demo data', () => {
  let c: DemoCollector
  let browser: Browser
  let a: DemoProject
  let b: DemoProject
  let dataA: DemoData
  let dataB: DemoData
  let page: Page

  beforeAll(async () => {
    c = await startDemoCollector()
    const boot = c.collector.bootstrap!
    a = { writeKey: boot.writeKey, secretKey: boot.secretKey, projectId: boot.project.id }
    const other = await c.collector.deps.projects.create({ name: 'Second project' })
    b = { writeKey: other.writeKey, secretKey: other.secretKey, projectId: other.project.id }
    dataA = demoData({ seed: 7, accounts: 24, prefix: 'acc' })
    dataB = demoData({ seed: 99, accounts: 3, prefix: 'zz' })
    await loadDemo(c, a, dataA)
    await loadDemo(c, b, dataB)
    browser = await launchChromium()
    page = (await newPage(browser)).page
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await c?.close()
  })

  it('refuses a wrong key and shows why', async () => {
    await page.goto(`${c.url}/app/accounts`)
    expect(new URL(page.url()).pathname).toBe('/app/login')
    await page.fill('#key', 'sk_not_a_real_key')
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
    expect(await page.locator('[role=alert]').innerText()).toContain('not the secret key of any project')
    expect(await page.context().cookies()).toEqual([])
    // The write key is public: it never opens the dashboard.
    await page.fill('#key', a.writeKey)
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
    expect(await page.locator('[role=alert]').count()).toBe(1)
    await screenshot(page, '00-login-refused')
  })

  it('logs in and shows the overview with the figures the data holds', async () => {
    await login(page, c.url, a.secretKey)
    const from = daysAgo(209)
    const all = [...dataA.events, ...dataA.sharedSeatEvents]
    await page.goto(`${c.url}/app?from=${from}&to=${today()}&tz=UTC`)
    await settle(page)
    expect(page.url()).not.toContain(a.secretKey)
    const users = new Set(all.filter((e) => e.user_id).map((e) => e.user_id))
    const accounts = new Set(all.filter((e) => e.account_id).map((e) => e.account_id))
    expect(await figure(page, 'active-users')).toBe(fmtNum(users.size))
    expect(await figure(page, 'new-users')).toBe(fmtNum(users.size))
    expect(await figure(page, 'active-accounts')).toBe(fmtNum(accounts.size))
    const stored = await api<{ count: number }>(c, a.secretKey, '/v1/events/count')
    expect(stored.count).toBe(all.length)
    expect(await figure(page, 'events')).toBe(fmtNum(stored.count))
    // Per day: the events column is the fixture's events per UTC day.
    const perDay = new Map<string, number>()
    for (const e of all) perDay.set(e.timestamp.slice(0, 10), (perDay.get(e.timestamp.slice(0, 10)) ?? 0) + 1)
    const rows = await tableText(page, 'daily')
    expect(rows.length).toBe(210)
    for (const [d, , , , events] of rows) expect(events).toBe(fmtNum(perDay.get(d!) ?? 0))
    // Loss counters are this project's (project B's events are not among them), as /healthz tells its secret key.
    const health = await (await fetch(`${c.url}/healthz`, { headers: { authorization: `Bearer ${a.secretKey}` } })).json() as { counters: { events_accepted: number }; project: { counters: { events_accepted: number; events_bots: number } } }
    expect(health.project.counters.events_accepted).toBe(all.length)
    expect(health.counters.events_accepted).toBeGreaterThan(all.length)
    expect(await figure(page, 'accepted')).toBe(fmtNum(all.length))
    expect(await figure(page, 'inserted')).toBe(fmtNum(all.length))
    expect(await figure(page, 'bots')).toBe(fmtNum(health.project.counters.events_bots))
    await screenshot(page, '01-overview')
  })

  it('downloads a table as CSV from its link', async () => {
    const href = await page.locator('[data-table-block="daily"] a.csv').getAttribute('href')
    expect(href).toMatch(/^\/app\?from=.*&csv=daily$/)
    const res = await page.request.get(`${c.url}${href}`)
    expect(res.status()).toBe(200)
    const lines = (await res.text()).trim().split('\r\n')
    expect(lines[0]).toBe('day,active_users,active_accounts,new_users,events')
    expect(lines.length).toBe(211)
  })

  it('shows revenue and renewal figures equal to the API', async () => {
    const asOf = today()
    await page.goto(`${c.url}/app/accounts?as_of=${asOf}&min_n=5`)
    await settle(page)
    const r = await api<Revenue>(c, a.secretKey, `/v1/reports/revenue?as_of=${asOf}`)
    expect(r.mrr).toBeGreaterThan(0)
    expect(await figure(page, 'mrr')).toBe(fmtMoney(r.mrr, r.currency))
    expect(await figure(page, 'arr')).toBe(fmtMoney(r.arr, r.currency))
    expect(await figure(page, 'nrr')).toBe(fmtPct(r.netRetention?.nrr ?? null))
    expect(await figure(page, 'grr')).toBe(fmtPct(r.netRetention?.grr ?? null))
    expect(await figure(page, 'logo-renewal')).toBe(fmtPct(r.renewals.logoRenewalRate))
    expect((await tableText(page, 'mrr-movements')).length).toBe(r.months.length)
    const rn = await api<Renewals>(c, a.secretKey, `/v1/reports/renewals?as_of=${asOf}&min_n=5`)
    expect(await column(page, 'feature-renewal', 'feature')).toEqual(rn.featureRenewal.features.map((f) => f.feature))
    expect(await column(page, 'feature-renewal', 'rate_group')).toEqual(rn.featureRenewal.features.map((f) => `${fmtPct(f.comparison.group.rate)}\n${fmtInterval(f.comparison.group.low, f.comparison.group.high)} · n=${fmtNum(f.comparison.group.n)}`))
    expect(await column(page, 'feature-renewal', 'q')).toEqual(rn.featureRenewal.features.map((f) => fmtP(f.q)))
    expect((await page.locator('[data-table-block="feature-renewal"]').innerText())).toContain('Association, not proof of cause')
    expect(await page.locator('svg[aria-label^="Movements per month"]').count()).toBe(1)
    await screenshot(page, '02-accounts-revenue')
  })

  it('shows health validation, the quadrant bubbles and seat sharing as the API does', async () => {
    const asOf = today()
    await page.goto(`${c.url}/app/accounts/health?as_of=${asOf}`)
    await settle(page)
    const h = await api<Health>(c, a.secretKey, `/v1/reports/health?as_of=${asOf}&health_threshold=50&temperature_threshold=50`)
    expect(await figure(page, 'auc')).toBe(h.validation.tested.auc ? fmtNum(h.validation.tested.auc.auc, 3) : '—')
    expect(await page.locator('a.bubble-link').count()).toBe(h.accounts.length)
    const seats = await api<{ accounts: { accountId: string; flaggedUsers: { userId: string }[] }[] }>(c, a.secretKey, `/v1/reports/seat-sharing?from=${daysAgo(30)}&to=${asOf}`)
    expect(seats.accounts.flatMap((x) => x.flaggedUsers.map((u) => u.userId))).toContain('acc01-u1')
    expect((await tableText(page, 'seat-sharing')).map((r) => r[1])).toEqual(seats.accounts.flatMap((x) => x.flaggedUsers.map((u) => u.userId)))
    const quadrants = await tableText(page, 'quadrants')
    expect(quadrants.map((q) => q[1])).toEqual(h.quadrants.map((q) => fmtNum(q.accounts)))
    // Bubbles are links reachable by keyboard.
    const first = page.locator('a.bubble-link').first()
    await first.focus()
    expect(await page.evaluate(() => document.activeElement?.classList.contains('bubble-link'))).toBe(true)
    await screenshot(page, '03-accounts-health')
  })

  it('opens an account from the health page and shows its figures', async () => {
    const id = dataA.accounts[0]!
    await page.goto(`${c.url}/app/account/${id}?as_of=${today()}`)
    await settle(page)
    const d = await api<{ mrr: number; currency: string; usage: { activeUsers: number } }>(c, a.secretKey, `/v1/accounts/${id}?as_of=${today()}`)
    expect(await figure(page, 'mrr')).toBe(fmtMoney(d.mrr, d.currency))
    expect(await figure(page, 'active-users')).toBe(fmtNum(d.usage.activeUsers))
    await screenshot(page, '04-account-detail')
  })

  it('creates a feature from a suggestion, with a live preview of what it matches', async () => {
    await page.goto(`${c.url}/app/features`)
    await settle(page)
    expect(await page.locator('[data-table-block="features"] .empty').innerText()).toContain('No features defined yet')
    const candidates = await column(page, 'suggestions', 'name')
    expect(candidates.length).toBeGreaterThan(0)
    await screenshot(page, '05-features-empty')
    // The data-feature key suggestion opens the editor filled in.
    const link = page.locator('[data-table="suggestions"] tr', { hasText: 'data-feature="reports.schedule"' }).locator('a')
    await Promise.all([page.waitForNavigation(), link.click()])
    expect(await page.inputValue('#r0-value')).toBe('reports.schedule')
    await page.fill('#f-name', 'Schedule a report')
    await page.fill('#f-id', 'reports-schedule')
    await page.waitForSelector('#preview[data-users]')
    const since = Date.now() - 30 * 86_400_000
    const uses = [...dataA.events, ...dataA.sharedSeatEvents].filter((e) => e.feature_key === 'reports.schedule' && Date.parse(e.timestamp) >= since)
    expect(Number(await page.getAttribute('#preview', 'data-events'))).toBe(uses.length)
    expect(Number(await page.getAttribute('#preview', 'data-users'))).toBe(new Set(uses.map((e) => e.user_id)).size)
    await screenshot(page, '06-feature-editor')
    await Promise.all([page.waitForNavigation(), page.click('form.editor button[type=submit]')])
    expect(new URL(page.url()).search).toBe('?saved=reports-schedule')
    await settle(page)
    expect(await column(page, 'features', 'feature_id')).toEqual(['reports-schedule'])
    const stored = await api<{ features: { id: string; rules: unknown[] }[] }>(c, a.secretKey, '/v1/features')
    expect(stored.features).toMatchObject([{ id: 'reports-schedule', rules: [{ type: 'feature_key', key: 'reports.schedule' }] }])
  })

  it('creates a feature from an element description and shows adoption equal to the report', async () => {
    await page.goto(`${c.url}/app/features/new`)
    await page.fill('#f-name', 'Connect an integration')
    await page.fill('#f-id', 'integrations-connect')
    await page.selectOption('#r0-type', 'element')
    await page.fill('#r0-value', 'button.connect')
    await page.fill('#r0-text', 'Connect')
    // A bad selector is refused by the preview as it would be on save.
    await page.fill('#r1-value', 'div >>> p')
    await page.selectOption('#r1-type', 'element')
    await page.waitForSelector('#preview.error')
    await page.fill('#r1-value', '')
    await page.selectOption('#r1-type', '')
    await page.waitForSelector('#preview[data-users]:not(.error)')
    await Promise.all([page.waitForNavigation(), page.click('form.editor button[type=submit]')])
    await settle(page)
    // And a third one, so the reports have several features to compare.
    await page.goto(`${c.url}/app/features/new?name=Share%20a%20dashboard&rules=${encodeURIComponent(JSON.stringify([{ type: 'feature_key', key: 'dashboard.share' }]))}`)
    await page.fill('#f-id', 'dashboard-share')
    await Promise.all([page.waitForNavigation(), page.click('form.editor button[type=submit]')])
    await settle(page)
    const to = today()
    const from = daysAgo(27)
    await page.goto(`${c.url}/app/features?from=${from}&to=${to}&tz=UTC`)
    await settle(page)
    const report = await api<FeatureRetentionReport>(c, a.secretKey, `/v1/analysis/feature-retention?from=${from}&to=${to}&timezone=UTC&days=7`)
    expect(await column(page, 'features', 'feature_id')).toEqual(report.features.map((f) => f.featureId))
    expect(await column(page, 'features', 'adoption')).toEqual(report.features.map((f) => `${fmtPct(f.adoption.rate)}\n${fmtInterval(f.adoption.low, f.adoption.high)}`))
    expect(await column(page, 'features', 'adopters')).toEqual(report.features.map((f) => fmtNum(f.adopters)))
    await screenshot(page, '05-features')
  })

  it('shows the cohort table and curves equal to the retention report', async () => {
    const to = daysAgo(1)
    const from = daysAgo(84)
    await page.goto(`${c.url}/app/retention?from=${from}&to=${to}&tz=UTC&days=0-14&cohort=week`)
    await settle(page)
    const r = await api<RetentionReport>(c, a.secretKey, `/v1/analysis/retention?from=${from}&to=${to}&timezone=UTC&days=0-14&cohort=week`)
    const rows = await tableText(page, 'cohorts')
    expect(rows.map((row) => row[0])).toEqual(['All cohorts', ...[...r.cohorts].reverse().map((x) => x.cohort)])
    expect(rows[0]!.slice(1)).toEqual([fmtNum(r.total.size), ...r.total.cells.map((x) => (x.eligible === 0 ? '—' : fmtPct(x.rate)))])
    expect(await page.locator('#chart-curves[data-rendered="1"]').count()).toBe(1)
    await screenshot(page, '07-retention-cohorts')
  })

  it('ranks high-retention features as the report does, with not-enough-data rows, the note and the aha chart', async () => {
    const to = daysAgo(31)
    const from = daysAgo(200)
    await page.goto(`${c.url}/app/retention/features?from=${from}&to=${to}&tz=UTC&n=30&window=7&min_n=10`)
    await settle(page)
    const h = await api<HighRetentionReport>(c, a.secretKey, `/v1/analysis/high-retention?from=${from}&to=${to}&timezone=UTC&n=30&window=7&min_n=10`)
    const tested = h.features.filter((f) => f.status === 'tested')
    expect(tested.length).toBeGreaterThan(0)
    expect(await column(page, 'high-retention', 'feature')).toEqual(tested.map((f) => f.name))
    expect(await column(page, 'high-retention', 'q')).toEqual(tested.map((f) => fmtP(f.q)))
    expect(await column(page, 'high-retention', 'lift')).toEqual(tested.map((f) => fmtRatio(f.lift)))
    expect(await column(page, 'not-enough-data', 'feature')).toEqual(h.features.filter((f) => f.status === 'not_enough_data').map((f) => f.name))
    expect(await figure(page, 'baseline')).toBe(fmtPct(h.population.baseline.rate))
    expect(await page.locator('.note.warn').first().innerText()).toContain(h.note)
    const ahaId = h.features.find((f) => f.highRetention)?.featureId ?? tested[0]!.featureId
    const aha = await api<AhaReport>(c, a.secretKey, `/v1/analysis/aha?from=${from}&to=${to}&timezone=UTC&feature=${ahaId}&n=30&window=7&min_n=10`)
    expect(await page.getAttribute('[data-aha-threshold]', 'data-aha-threshold')).toBe(aha.threshold === null ? 'none' : String(aha.threshold))
    expect(await column(page, 'aha', 'users')).toEqual(aha.buckets.map((b) => fmtNum(b.users)))
    expect(await column(page, 'feature-retention', 'feature')).toContain('Connect an integration')
    await screenshot(page, '08-retention-features')
    const csv = await page.request.get(`${c.url}${await page.locator('[data-table-block="high-retention"] a.csv').getAttribute('href')}`)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['feature', 'feature_id', 'n_group', 'k_group'])
    expect(lines.length).toBe(tested.length + 1)
  })

  it('creates a nudge, starts and stops it, and shows its report', async () => {
    await page.goto(`${c.url}/app/nudges`)
    await settle(page)
    expect(await page.locator('[data-table-block="nudges"] .empty').count()).toBe(1)
    await Promise.all([page.waitForNavigation(), page.click('text=New nudge')])
    await page.fill('#n-name', 'Connect your first integration')
    await page.fill('#n-id', 'connect-first')
    await page.selectOption('#n-feature', 'integrations-connect')
    await page.fill('#n-pages', '/dashboard, /integrations')
    await page.fill('#n-body', 'Connect a tool to get your data in automatically.')
    await page.fill('#n-cta_label', 'Connect')
    await page.fill('#n-cta_url', '/integrations')
    await page.fill('#n-holdout_pct', '20')
    await screenshot(page, '10-nudge-new')
    await Promise.all([page.waitForNavigation(), page.click('form.editor button[type=submit]')])
    expect(new URL(page.url()).pathname).toBe('/app/nudges/connect-first')
    await settle(page)
    expect(await page.locator('h2 .tag').innerText()).toBe('draft')
    await Promise.all([page.waitForNavigation(), page.click('text=Start nudge')])
    await settle(page)
    const nudges = await api<{ nudges: { id: string; status: string; holdoutShare: number }[] }>(c, a.secretKey, '/v1/nudges')
    expect(nudges.nudges).toMatchObject([{ id: 'connect-first', status: 'active', holdoutShare: 0.2 }])
    expect(await column(page, 'nudges', 'status')).toEqual(['active'])
    await screenshot(page, '09-nudges')
    await page.goto(`${c.url}/app/nudges/connect-first`)
    await settle(page)
    const report = await api<{ counts: { eligible: number; shown: number; heldOut: number }; message: string }>(c, a.secretKey, '/v1/reports/nudges/connect-first')
    expect(await figure(page, 'eligible')).toBe(fmtNum(report.counts.eligible))
    expect(await figure(page, 'shown')).toBe(fmtNum(report.counts.shown))
    expect(await page.locator('.report .note').first().innerText()).toBe(report.message)
    await screenshot(page, '11-nudge-report')
    await Promise.all([page.waitForNavigation(), page.click('text=Stop nudge')])
    await settle(page)
    expect(await column(page, 'nudges', 'status')).toEqual(['stopped'])
  })

  it('refuses an invalid nudge and marks the field', async () => {
    await page.goto(`${c.url}/app/nudges/new`)
    await page.fill('#n-name', 'Empty')
    await page.selectOption('#n-feature', 'dashboard-share')
    await page.fill('#n-max_shows', '0')
    await page.evaluate(() => document.querySelectorAll('form.editor [required], form.editor [min]').forEach((el) => { el.removeAttribute('required'); el.removeAttribute('min') }))
    await Promise.all([page.waitForNavigation(), page.click('form.editor button[type=submit]')])
    expect(await page.locator('[role=alert]').innerText()).toContain('Not saved')
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1)
  })

  it('never shows another project’s data', async () => {
    const other = await newPage(browser)
    await login(other.page, c.url, b.secretKey)
    await other.page.goto(`${c.url}/app?from=${daysAgo(209)}&to=${today()}&tz=UTC`)
    await settle(other.page)
    expect(await other.page.locator('.who .project').innerText()).toBe('Second project')
    expect(await figure(other.page, 'events')).toBe(fmtNum(dataB.events.length + dataB.sharedSeatEvents.length))
    await other.page.goto(`${c.url}/app/accounts/health?as_of=${today()}`)
    await settle(other.page)
    const html = await other.page.content()
    expect(html).not.toMatch(/acc\d\d/)
    await other.page.goto(`${c.url}/app/account/${dataA.accounts[0]}?as_of=${today()}`)
    await settle(other.page)
    expect(await other.page.locator('[role=alert]').innerText()).toContain(`no account ${dataA.accounts[0]}`)
    await other.context.close()
    // And the first project's pages never mention the second's accounts.
    await page.goto(`${c.url}/app/accounts?as_of=${today()}`)
    await settle(page)
    expect(await page.content()).not.toMatch(/zz\d\d/)
  })

  it('moves through the menu with the keyboard', async () => {
    await page.goto(`${c.url}/app`)
    await settle(page)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    const visited: string[] = []
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab')
      visited.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''))
    }
    expect(visited).toContain('Accounts & renewals')
  })

  it('logs out', async () => {
    await Promise.all([page.waitForNavigation(), page.click('.who button')])
    expect(new URL(page.url()).pathname).toBe('/app/login')
    await page.goto(`${c.url}/app`)
    expect(new URL(page.url()).pathname).toBe('/app/login')
  })
})
