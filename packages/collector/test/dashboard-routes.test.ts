import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

const ORIGIN = 'http://localhost'

describe('dashboard routes', () => {
  let t: TestCollector
  let otherKey: string
  let cookie: string

  const req = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    Promise.resolve(t.collector.app.request(`${ORIGIN}${path}`, init))
  const get = (path: string, c = cookie) => req(path, { headers: c ? { cookie: c } : {} })
  const login = (key: string, headers: Record<string, string> = { origin: ORIGIN }) =>
    req('/app/login', { method: 'POST', body: new URLSearchParams({ key, next: '/app/accounts?as_of=2026-01-31' }), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } })

  beforeAll(async () => {
    t = await startCollector()
    otherKey = (await t.collector.deps.projects.create({ name: 'Other project' })).secretKey
    const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ user_id: 'u1', account_id: 'acme' }), sdkEvent({ event: '$pageview', anonymous_id: 'anon-2' })]))
    expect(res.status).toBe(200)
    await t.collector.deps.ingest.flush()
  })
  afterAll(() => t.cleanup())

  it('sends visitors without a session to the login form, remembering where they were going', async () => {
    const res = await get('/app/accounts?as_of=2026-01-31', '')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app/login?next=%2Fapp%2Faccounts%3Fas_of%3D2026-01-31')
    const form = await get('/app/login?next=%2Fapp%2Faccounts', '')
    expect(form.status).toBe(200)
    const html = await form.text()
    expect(html).toContain('type="password"')
    expect(html).toContain('value="/app/accounts"')
  })

  it('refuses a wrong key and a write key, and sets no cookie', async () => {
    for (const key of ['sk_wrong', t.writeKey, '']) {
      const res = await login(key)
      expect(res.status).toBe(401)
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(await res.text()).toMatch(/not the secret key of any project|Enter the secret key/)
    }
  })

  it('refuses a login posted from another site', async () => {
    const res = await login(t.secretKey, { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ error: { code: 'forbidden', message: 'cross-origin request refused', field: null } })
    const noOrigin = await login(t.secretKey, {})
    expect(noOrigin.status).toBe(403)
  })

  it('logs in with the secret key into an HttpOnly, SameSite=Strict session cookie that holds no key', async () => {
    const res = await login(t.secretKey)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app/accounts?as_of=2026-01-31')
    const set = res.headers.get('set-cookie')!
    expect(set).toMatch(/^tenure_session=/)
    expect(set).toMatch(/HttpOnly/)
    expect(set).toMatch(/SameSite=Strict/)
    expect(set).toMatch(/Path=\/app/)
    expect(set).not.toContain(t.secretKey)
    cookie = set.split(';')[0]!
  })

  it('does not follow a next parameter off the dashboard', async () => {
    for (const next of ['https://evil.example/app', '//evil.example/app', '/app/../v1/events/count', '/appx']) {
      const res = await req('/app/login', { method: 'POST', body: new URLSearchParams({ key: t.secretKey, next }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN } })
      expect(res.headers.get('location')).toMatch(/^\/app(\/|$)/)
      expect(res.headers.get('location')).not.toContain('v1')
    }
  })

  it('renders the overview with this project only and security headers', async () => {
    const res = await get('/app')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = await res.text()
    expect(html).toContain('<!doctype html>')
    expect(html).toMatch(/data-figure="events"><dt>Events stored<\/dt><dd>2<\/dd>/)
    expect(html).toContain('class="report"')
    expect(html).not.toContain('error-box')
  })

  it('shows another project only its own data', async () => {
    const res = await login(otherKey)
    const other = res.headers.get('set-cookie')!.split(';')[0]!
    const html = await (await get('/app', other)).text()
    expect(html).toContain('Other project')
    expect(html).toMatch(/data-figure="events"><dt>Events stored<\/dt><dd>0<\/dd>/)
  })

  it('answers each table as CSV from the same URL', async () => {
    const res = await get('/app?from=2020-01-01&to=2020-01-03&tz=UTC&csv=daily')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="overview_daily_2020-01-01_2020-01-03_UTC.csv"')
    expect(await res.text()).toBe(
      'day,active_users,active_accounts,new_users,events\r\n2020-01-03,0,0,0,0\r\n2020-01-02,0,0,0,0\r\n2020-01-01,0,0,0,0\r\n',
    )
    const missing = await get('/app?csv=nope')
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found')
  })

  it('shows bad parameters as a 400 page with the form, never a crash', async () => {
    const res = await get('/app?tz=Mars%2FOlympus')
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('tz is not an IANA time zone')
    expect(html).toContain('aria-invalid="true"')
    const range = await get('/app?from=2026-02-01&to=2026-01-01')
    expect(range.status).toBe(400)
    expect(await range.text()).toContain('from must not be after to')
    const csv = await get('/app?from=x&csv=daily')
    expect(csv.status).toBe(400)
    expect(((await csv.json()) as { error: { field: string } }).error.field).toBe('from')
  })

  it('renders the account pages, with a not-found state for an unknown account', async () => {
    for (const path of ['/app/accounts?as_of=2026-01-31', '/app/accounts/health?as_of=2026-01-31']) {
      const res = await get(path)
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain('class="report"')
      expect(html.match(/error-box[^]*?<\/div>/)?.[0] ?? '').toBe('')
    }
    // Usage windows end before as_of: take tomorrow to see today's events.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const acme = await (await get(`/app/account/acme?as_of=${tomorrow}`)).text()
    expect(acme).toContain('data-figure="active-users"><dt>Active users</dt><dd>1</dd>')
    expect(acme).not.toContain('error-box')
    const none = await (await get('/app/account/nobody?as_of=2026-01-31')).text()
    expect(none).toContain('no account nobody in imported data or events')
    const nf = await get('/app/nowhere')
    expect(nf.status).toBe(404)
  })

  it('offers the segment picker on every page whose reports take one, and refuses an unknown segment there', async () => {
    for (const path of ['/app/accounts', '/app/accounts/health', '/app/accounts/worklist', '/app/accounts/calendar', '/app/features']) {
      const page = await get(`${path}?as_of=2026-01-31`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('id="p-segment"')
      const bad = await get(`${path}?as_of=2026-01-31&segment=nobody`)
      expect(bad.status).toBe(400)
      expect(await bad.text()).toContain('no saved segment nobody')
    }
    const overview = await get('/app?from=2026-01-01&to=2026-01-31&tz=UTC')
    expect(overview.status).toBe(200)
    expect(await overview.text()).toContain('id="p-segment"')
    const badOverview = await get('/app?from=2026-01-01&to=2026-01-31&tz=UTC&segment=nobody')
    expect(badOverview.status).toBe(400)
    expect(await badOverview.text()).toContain('no saved segment nobody')
    // One account's page is that account whatever the segment: no picker.
    expect(await (await get('/app/account/acme?as_of=2026-01-31')).text()).not.toContain('id="p-segment"')
  })

  it('streams the page: the loading state first, the report after', async () => {
    const res = await get('/app?from=2026-01-01&to=2026-01-31&tz=UTC')
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toContain('class="loading"')
    expect(first).not.toContain('class="report"')
    let rest = ''
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value)
    expect(rest).toContain('class="report"')
    expect(rest.trimEnd().endsWith('</html>')).toBe(true)
  })

  it('opens accounts whose ids need escaping in a URL', async () => {
    const id = 'a b/c%d'
    const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ user_id: 'u9', account_id: id })]))
    expect(res.status).toBe(200)
    await t.collector.deps.ingest.flush()
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const html = await (await get(`/app/account/${encodeURIComponent(id)}?as_of=${tomorrow}`)).text()
    expect(html).toContain('<title>Account a b/c%d · Tenure</title>')
    expect(html).toContain('data-figure="active-users"><dt>Active users</dt><dd>1</dd>')
  })

  it('creates, edits and deletes a feature through the forms, and previews rules as JSON', async () => {
    const form = (body: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(body), headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } })
    const preview = await req('/app/api/features/preview', form({ r0_type: 'event', r0_value: '$pageview' }))
    expect(await preview.json()).toEqual({ users: 1, events: 1, range: 'last 30 days' })
    const badPreview = await req('/app/api/features/preview', form({ r0_type: 'element', r0_value: 'a >>> b' }))
    expect(badPreview.status).toBe(400)
    expect(((await badPreview.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: 'invalid_body', field: 'rules.0.selector' })
    const noSession = await req('/app/api/features/preview', { method: 'POST', headers: { origin: ORIGIN } })
    expect(noSession.status).toBe(401)

    const created = await req('/app/features', form({ id: 'export', name: 'Export', description: '', r0_type: 'feature_key', r0_value: 'export' }))
    expect(created.status).toBe(303)
    expect(created.headers.get('location')).toBe('/app/features?saved=export')
    const again = await req('/app/features', form({ id: 'export', name: 'Export', r0_type: 'feature_key', r0_value: 'export' }))
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('feature export already exists')
    const empty = await req('/app/features', form({ name: 'Nothing', r0_type: '', r0_value: '' }))
    expect(empty.status).toBe(400)

    const edit = await (await get('/app/features/export')).text()
    expect(edit).toContain('version 1')
    expect(edit).toContain('value="export"')
    const updated = await req('/app/features/export', form({ name: 'Export a report', r0_type: 'element', r0_value: 'button#export', r0_text: 'Export', r0_match: 'equals' }))
    expect(updated.status).toBe(303)
    expect(await (await get('/app/features/export')).text()).toContain('version 2')

    const deleted = await req('/app/features/export/delete', form({}))
    expect(deleted.headers.get('location')).toBe('/app/features?deleted=export')
    expect((await get('/app/features/export')).status).toBe(404)
  })

  it('sets how many people make an element text public from the features page', async () => {
    const form = (body: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(body), headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } })
    expect(await (await get('/app/features')).text()).toContain('name="k" min="1" max="10000" value="5"')
    const saved = await req('/app/settings/element-text', form({ k: '8' }))
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe('/app/features?text_k=8')
    const page = await (await get('/app/features?text_k=8')).text()
    expect(page).toContain('value="8"')
    expect(page).toContain('once 8 people produced it')
    const bad = await req('/app/settings/element-text', form({ k: '0' }))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: 'invalid_body', field: 'k' })
    const foreign = await req('/app/settings/element-text', { method: 'POST', body: new URLSearchParams({ k: '2' }), headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' } })
    expect(foreign.status).toBe(403)
  })

  it('serves its static files without a session', async () => {
    for (const f of ['app.css', 'app.js', 'uPlot.iife.min.js', 'uPlot.min.css']) {
      const res = await get(`/app/static/${f}`, '')
      expect(res.status).toBe(200)
    }
    expect((await get('/app/static/../../package.json', '')).status).toBe(404)
    const gz = await req('/app/static/uPlot.iife.min.js', { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
  })

  it('logs out: the old cookie no longer opens pages', async () => {
    const res = await req('/app/logout', { method: 'POST', headers: { cookie, origin: ORIGIN } })
    expect(res.status).toBe(303)
    expect(res.headers.get('set-cookie')).toMatch(/tenure_session=;/)
    const after = await get('/app')
    expect(after.status).toBe(303)
  })

  // Last: it uses up this address's failed-login budget.
  it('makes an address wait after ten failed logins, even with the right key', async () => {
    let failed = 0
    for (let i = 0; i < 20 && failed < 10; i++) {
      const res = await login(`sk_guess_${i}`)
      if (res.status === 401) failed++
      else expect(res.status).toBe(429)
    }
    const refused = await login(t.secretKey)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused.headers.get('set-cookie')).toBeNull()
    expect(await refused.text()).toContain('Too many failed attempts')
  })
})
