import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ACCOUNTS_COMMANDS, type AccountsCliContext } from '@tenure/analysis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector, type TestCollector } from './helpers.js'

const CONTRACTS = [
  'contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats',
  'c1,acme,2025-01-01,2026-01-01,12000,USD,annual,10',
  'c2,bolt,2025-02-01,2025-06-01,500,USD,monthly,3',
  'c3,acme,2026-01-01,2027-01-01,14400,USD,annual,12',
].join('\n')

const STRIPE = {
  object: 'list',
  data: [{
    id: 'sub_1', customer: { id: 'cus_1', name: 'Cargo', metadata: { account_id: 'cargo' } }, status: 'active', created: 1735689600, start_date: 1735689600,
    current_period_start: 1738368000, current_period_end: 1740787200, items: { data: [{ quantity: 2, price: { currency: 'usd', unit_amount: 5000, recurring: { interval: 'month', interval_count: 1 } } }] },
  }],
}

describe('account routes', () => {
  let t: TestCollector
  let auth: Record<string, string>
  beforeAll(async () => {
    t = await startCollector()
    auth = { authorization: `Bearer ${t.secretKey}` }
  })
  afterAll(() => t.cleanup())

  const get = (path: string) => Promise.resolve(t.collector.app.request(path, { headers: auth }))
  const importFile = (body: string, type: string, qs = '') =>
    Promise.resolve(t.collector.app.request(`/v1/accounts/import${qs}`, { method: 'POST', body, headers: { ...auth, 'content-type': type } }))

  it('needs the secret key', async () => {
    const res = await t.collector.app.request('/v1/reports/revenue')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String), field: null } })
    const bad = await t.collector.app.request('/v1/accounts/import', { method: 'POST', body: CONTRACTS, headers: { authorization: `Bearer ${t.writeKey}` } })
    expect(bad.status).toBe(401)
  })

  it('imports a CSV once, and the same file again changes nothing', async () => {
    const res = await importFile(CONTRACTS, 'text/csv')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'committed', kind: 'contracts', rows: { contracts: 3 } })
    const again = await importFile(CONTRACTS, 'text/csv')
    expect(await again.json()).toMatchObject({ status: 'unchanged' })
  })

  it('refuses a file with bad rows, naming lines, and stores nothing of it', async () => {
    const res = await importFile(`${CONTRACTS}\nc4,delta,2025-13-01,,10,USD,monthly,\nc5,echo,2025-01-01,,ten,USD,monthly,`, 'text/csv', '?kind=contracts')
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string; field: string }; row_errors: { line: number; field: string }[]; error_count: number }
    expect(body.error).toMatchObject({ code: 'invalid_body', field: 'term_start' })
    expect(body.error.message).toMatch(/2 problem\(s\) in the contracts file \(line 5\).*nothing was imported/)
    expect(body.row_errors.map((e) => [e.line, e.field])).toEqual([[5, 'term_start'], [6, 'amount']])
    const detail = await get('/v1/accounts/delta')
    expect(detail.status).toBe(404)
    expect((await importFile('', 'text/csv')).status).toBe(400)
  })

  it('takes a CSV wrapped in JSON from clients that only send JSON', async () => {
    const res = await importFile(JSON.stringify({ csv: 'account_id,name\nacme,Acme Inc' }), 'application/json')
    expect(await res.json()).toMatchObject({ status: 'committed', kind: 'accounts', rows: { accounts: 1 } })
  })

  it('imports a Stripe subscriptions export', async () => {
    const res = await importFile(JSON.stringify(STRIPE), 'application/json')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'committed', kind: 'stripe_subscriptions', rows: { accounts: 1, contracts: 1 } })
    const bad = await importFile('{"data": [{"id": 1}]}', 'application/json')
    expect(bad.status).toBe(400)
    const imports = (await (await get('/v1/accounts/imports')).json()) as { imports: { kind: string; status: string }[] }
    expect(imports.imports.map((i) => i.kind)).toEqual(['stripe_subscriptions', 'accounts', 'contracts'])
  })

  it('answers the revenue report', async () => {
    const res = await get('/v1/reports/revenue?as_of=2026-01-31')
    expect(res.status).toBe(200)
    const r = (await res.json()) as { mrr: number; identityHoldsEveryMonth: boolean; renewals: { accountsDue: number; logoRenewalRate: number } }
    // acme 14 400/yr = 1 200 a month; cargo 2 × 50 = 100 a month; bolt churned in June.
    expect(r.mrr).toBe(1300)
    expect(r.identityHoldsEveryMonth).toBe(true)
    expect(r.renewals).toMatchObject({ accountsDue: 2, logoRenewalRate: 0.5 })
  })

  it('answers account detail, renewals, health and seat-sharing reports', async () => {
    const detail = (await (await get('/v1/accounts/acme?as_of=2026-01-31')).json()) as { arr: number; contracts: unknown[] }
    expect([detail.arr, detail.contracts.length]).toEqual([14_400, 2])
    const renewals = await get('/v1/reports/renewals?as_of=2026-01-31&lookback_days=60')
    expect(renewals.status).toBe(200)
    expect(((await renewals.json()) as { renewals: unknown[] }).renewals).toHaveLength(2)
    const health = await get('/v1/reports/health?as_of=2026-01-31&weighting=manual&components=active_users,feature:export')
    expect(health.status).toBe(200)
    const h = (await health.json()) as { accounts: { accountId: string; quadrant: string; action: string }[] }
    expect(h.accounts.map((a) => a.accountId)).toEqual(['acme', 'cargo'])
    const seats = await get('/v1/reports/seat-sharing?from=2026-01-01&to=2026-01-31')
    expect(await seats.json()).toEqual({ from: '2026-01-01', to: '2026-01-31', accounts: [] })
  })

  it('answers bad parameters with 400 and the field', async () => {
    const cases: [string, string][] = [
      ['/v1/reports/revenue?as_of=2025-02-30', 'as_of'],
      ['/v1/reports/health?components=a,b,c,d,e,f', 'components'],
      ['/v1/reports/health?components=nonsense', 'components'],
      ['/v1/reports/health?weights=1,x', 'weights'],
      ['/v1/reports/renewals?lookback_days=0', 'lookback_days'],
      ['/v1/reports/seat-sharing?from=2026-02-01&to=2026-01-01', 'from'],
      ['/v1/accounts/import?kind=invoices', 'kind'],
    ]
    for (const [path, field] of cases) {
      const res = path.includes('import')
        ? await importFile(CONTRACTS, 'text/csv', path.slice(path.indexOf('?')))
        : await get(path)
      expect(res.status, path).toBe(400)
      expect(((await res.json()) as { error: { field: string } }).error.field, path).toBe(field)
    }
  })

  it('serves the account CLI commands over HTTP', async () => {
    const http: AccountsCliContext['http'] = {
      async request(method, path, query, body) {
        const qs = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => e[1] !== undefined))
        const res = await t.collector.app.request(`${path}${qs.size ? `?${qs}` : ''}`, {
          method, headers: { ...auth, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        const json = (await res.json()) as { error?: { message: string } }
        if (!res.ok) throw new Error(json.error!.message)
        return json
      },
    }
    // As the CLI's HTTP context: no store client or project id to fall back on.
    const context = (format: 'table' | 'json' | 'csv'): AccountsCliContext => ({
      http, format,
      get client(): never { throw new Error('not over HTTP') },
      get projectId(): never { throw new Error('not over HTTP') },
    })
    const run = (name: string, argv: string[], format: 'table' | 'json' | 'csv' = 'table') => ACCOUNTS_COMMANDS.find((c) => c.name === name)!.run(argv, context(format))
    const dir = mkdtempSync(join(tmpdir(), 'tenure-cli-http-'))
    try {
      writeFileSync(join(dir, 'renewals.csv'), 'contract_id,account_id,due_date,outcome,new_amount\nc2,bolt,2025-06-01,churned,\n')
      expect(await run('accounts', ['import', join(dir, 'renewals.csv')])).toMatch(/^Imported .* as renewals: 0 accounts, 0 contract versions, 1 renewals$/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(JSON.parse(await run('accounts', ['--as-of', '2026-01-31'], 'json')).mrr).toBe(1300)
    expect((await run('accounts', ['--as-of', '2026-01-31'], 'csv')).split('\n')[0]).toBe('month,start,new,expansion,reactivation,contraction,churned,end,identity_holds')
    expect(await run('accounts', ['show', 'acme', '--as-of', '2026-01-31'])).toContain('acme (Acme Inc): ARR 14400.00 USD')
    expect(await run('renewals', ['--as-of', '2026-01-31', '--min-n', '1'])).toContain('Renewals due by 2026-01-31: 2 with a known outcome')
    expect(await run('health', ['--as-of', '2026-01-31', '--weighting', 'manual'])).toContain('Health as of 2026-01-31')
    await expect(run('accounts', ['show', 'nobody'])).rejects.toThrow(/no account nobody/)
  })
})
