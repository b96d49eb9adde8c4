import { openTestStore } from '@tenure/analysis/testing'
import { Hono } from 'hono'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboardRoutes, LOGIN_FAILURES, type DashboardDeps, type DashboardProject, type IngestCounts, type KeyedLimit, type RollupJobStatus } from '../src/index.js'

// The dashboard on a host of its own: only what DashboardDeps gives it, over a real store.
const ORIGIN = 'https://dash.example'
const PROJECT: DashboardProject = { id: 'p-mount', name: 'Mounted project', timezone: 'UTC' }
const KEY = 'sk_mount_secret'
const COUNTS: IngestCounts = {
  accepted: 7, stored: 6, replayed: 1, rejected: 2, rejectedByReason: { invalid_timestamp: 2 }, bots: 0,
  duplicates: 1, rateLimited: 0, refusedSpoolFull: 0, spooled: 7, failed: 0, quarantined: 0,
}

/** Failed tries per key up to the budget's burst, none earned back: a host's limiter as the dashboard sees it. */
function burstOnly(burst: number): KeyedLimit {
  const used = new Map<string, number>()
  const decide = (key: string) => ((used.get(key) ?? 0) < burst ? { ok: true, retryAfter: 0 } : { ok: false, retryAfter: 30 })
  return {
    check: decide,
    take(key) {
      const d = decide(key)
      if (d.ok) used.set(key, (used.get(key) ?? 0) + 1)
      return d
    },
  }
}

describe('the dashboard mounted by any host', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  let host: Hono
  const budgets: unknown[] = []
  const asked: { counts: [string, string, string][]; addresses: string[] } = { counts: [], addresses: [] }
  let rollupJob: RollupJobStatus = { state: 'done', project: null, month: null, monthsDone: 0, months: 0 }

  beforeAll(async () => {
    t = await openTestStore()
    const at = new Date().toISOString().replace('T', ' ').replace('Z', '')
    await t.store.client.insert({
      table: 'events', format: 'JSONEachRow',
      values: [{ project_id: PROJECT.id, uuid: randomUUID(), event: '$click', timestamp: at, client_timestamp: at, received_at: at, anonymous_id: 'a1', user_id: 'u1', account_id: '' }],
    })
    const deps: DashboardDeps = {
      client: t.store.client,
      projects: { verifySecret: async (key) => (key === KEY ? PROJECT : undefined), get: (id) => (id === PROJECT.id ? PROJECT : undefined) },
      request: {
        address: (c) => {
          const a = c.req.header('x-test-client') ?? ''
          asked.addresses.push(a)
          return a
        },
        secure: () => true,
      },
      limit: (budget) => {
        budgets.push(budget)
        return burstOnly(budget.burst)
      },
      ingest: {
        projectCounts: async (projectId, from, to) => {
          asked.counts.push([projectId, from, to])
          return COUNTS
        },
        backlogOf: () => 3,
        health: () => ({ storeUp: false, spoolBytes: 512 * 1024, spoolMaxBytes: 1024 * 1024, failedInserts: 4, spoolRecordsLost: 0 }),
      },
      rollupJob: () => rollupJob,
    }
    host = new Hono()
    host.route('/app', dashboardRoutes(deps))
  })
  afterAll(() => t.cleanup())

  const login = (key: string, client: string) =>
    host.request(`${ORIGIN}/app/login`, {
      method: 'POST', body: new URLSearchParams({ key, next: '/app' }),
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', 'x-test-client': client },
    })

  it('asks the host for a limiter with its failed-login budget', () => {
    expect(budgets).toEqual([LOGIN_FAILURES])
  })

  it('signs in through the host\'s project lookup, with a Secure cookie when the host says the request was HTTPS', async () => {
    const res = await login(KEY, '10.0.0.1')
    expect(res.status).toBe(303)
    expect(res.headers.get('set-cookie')).toMatch(/^tenure_session=.*; Secure/)
    expect(asked.addresses).toContain('10.0.0.1')
  })

  it('shows the store\'s events beside the ingestion counts and state the host reports', async () => {
    const cookie = (await login(KEY, '10.0.0.2')).headers.get('set-cookie')!.split(';')[0]!
    const today = new Date().toISOString().slice(0, 10)
    const html = await (await host.request(`${ORIGIN}/app?from=${today}&to=${today}&tz=UTC`, { headers: { cookie } })).text()
    expect(asked.counts).toEqual([[PROJECT.id, today, today]])
    expect(html).toContain('Mounted project')
    expect(html).toContain('data-figure="events"><dt>Events stored</dt><dd>1</dd>')
    expect(html).toContain('data-figure="accepted"><dt>Accepted</dt><dd>7</dd>')
    expect(html).toContain('data-figure="backlog"><dt>Waiting</dt><dd>3</dd>')
    expect(html).toContain('data-figure="store"><dt>Store</dt><dd>down</dd><small>4 failed inserts')
    expect(html).toContain('<code>invalid_timestamp</code>')
  })

  it('remembers the carried date range in a Secure cookie when the host says the request was HTTPS, though the URL it sees is http', async () => {
    const cookie = (await login(KEY, '10.0.0.3')).headers.get('set-cookie')!.split(';')[0]!
    const res = await host.request('http://dash.example/app?from=2026-01-01&to=2026-01-31&tz=UTC', { headers: { cookie } })
    expect(res.headers.get('set-cookie')).toMatch(/tenure_view=[^;]*from%3D2026-01-01[^;]*;.*Secure/)
  })

  it('makes an address the host names wait once its failed logins are spent, and no other', async () => {
    for (let i = 0; i < LOGIN_FAILURES.burst; i++) expect((await login(`sk_guess_${i}`, '10.0.0.9')).status).toBe(401)
    const refused = await login(KEY, '10.0.0.9')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('30')
    expect((await login(KEY, '10.0.0.10')).status).toBe(303)
  })

  it('says while older events are being added to the activity rollup: the job on the overview, the shortfall on each account report', async () => {
    const cookie = (await login(KEY, '10.0.0.4')).headers.get('set-cookie')!.split(';')[0]!
    const page = async (path: string) => {
      const res = await host.request(`${ORIGIN}${path}`, { headers: { cookie } })
      expect(res.status).toBe(200)
      return res.text()
    }
    const mark = (rows: { slice: number; state: string; at: string }[]) =>
      t.store.client.insert({
        table: 'activity_rollup_backfill', format: 'JSONEachRow',
        values: rows.map((r) => ({ project_id: PROJECT.id, slice: r.slice, cutoff: '2026-01-01 00:00:00.000', state: r.state, updated_at: r.at })),
      })
    // The job has added January of this project's two months and is adding February.
    await mark([{ slice: 0, state: 'pending', at: '2026-01-01 00:00:00.000' }, { slice: 202501, state: 'done', at: '2026-01-01 00:00:01.000' }, { slice: 202502, state: 'started', at: '2026-01-01 00:00:02.000' }])
    rollupJob = { state: 'running', project: PROJECT.id, month: 202502, monthsDone: 1, months: 2 }
    // An account with usage in its page's window (which ends before today).
    const at = new Date(Date.now() - 3 * 86_400_000).toISOString().replace('T', ' ').replace('Z', '')
    await t.store.client.insert({
      table: 'events', format: 'JSONEachRow',
      values: [{ project_id: PROJECT.id, uuid: randomUUID(), event: '$click', timestamp: at, client_timestamp: at, received_at: at, anonymous_id: 'a2', user_id: 'u2', account_id: 'acme' }],
    })
    const note = 'Events stored before this version are still being added to the activity rollup (1 of 2 months): figures cover the events added so far and every event received since.'

    const overview = await page('/app')
    expect(overview).toContain('data-rollup-job="running"')
    expect(overview).toContain('(running): this project: 1 of 2 months added, adding 2025-02 now.')
    for (const path of ['/app/accounts/health', '/app/accounts/worklist', '/app/accounts/calendar', '/app/accounts', '/app/account/acme']) {
      const html = await page(path)
      expect({ path, shown: html.includes('data-activity-incomplete') && html.includes(note) }).toEqual({ path, shown: true })
    }

    // Another project's turn: this one's share is still told, without naming the other.
    rollupJob = { state: 'running', project: 'p-other', month: 202407, monthsDone: 3, months: 9 }
    const other = await page('/app')
    expect(other).toContain('this project: 1 of 2 months added; another project&#39;s are being added now.')
    expect(other).not.toContain('p-other')

    // Done: neither the job nor the shortfall is shown any more.
    await mark([{ slice: 202502, state: 'done', at: '2026-01-01 00:00:03.000' }, { slice: 0, state: 'done', at: '2026-01-01 00:00:04.000' }])
    rollupJob = { state: 'done', project: null, month: null, monthsDone: 2, months: 2 }
    expect(await page('/app')).not.toContain('data-rollup-job')
    for (const path of ['/app/accounts/health', '/app/accounts/worklist']) expect(await page(path)).not.toContain('data-activity-incomplete')
  })
})
