import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { ACCOUNTS_COMMANDS, type AccountsCliContext } from './cli-commands.js'
import { insertEvents } from './__fixtures__/events.js'

const run = (name: string, argv: string[], ctx: AccountsCliContext) => ACCOUNTS_COMMANDS.find((c) => c.name === name)!.run(argv, ctx)

describe('account CLI commands (embedded engine)', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  let ctx: AccountsCliContext
  let dir: string
  beforeAll(async () => {
    t = await openTestStore()
    ctx = { client: t.store.client, projectId: 'p' }
    dir = mkdtempSync(join(tmpdir(), 'tenure-cli-'))
    writeFileSync(join(dir, 'contracts.csv'), [
      'contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats',
      'a1,acme,2025-01-01,2026-01-01,12000,USD,annual,5',
      'a2,acme,2026-01-01,2027-01-01,12000,USD,annual,5',
      'b1,bolt,2025-03-01,2026-01-15,600,USD,monthly,2',
    ].join('\n'))
    writeFileSync(join(dir, 'bad.csv'), 'account_id,seats\nacme,lots\n')
    await insertEvents(t.store.client, 'p', [
      { event: '$click', timestamp: '2025-12-01 10:00:00.000', user_id: 'u1', account_id: 'acme', feature_key: 'export' },
      { event: '$click', timestamp: '2026-01-20 10:00:00.000', user_id: 'u1', account_id: 'acme', feature_key: 'export' },
    ])
  })
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await t.cleanup()
  })

  it('imports a file and refuses a bad one with line numbers', async () => {
    expect(await run('accounts', ['import', join(dir, 'contracts.csv')], ctx)).toBe('Imported ' + join(dir, 'contracts.csv') + ' as contracts: 0 accounts, 3 contract versions, 0 renewals')
    expect(await run('accounts', ['import', join(dir, 'bad.csv')], ctx)).toBe(`Refused: 1 problem(s) in ${join(dir, 'bad.csv')}; nothing was imported.\n  line 2: seats "lots" is not a whole number of seats`)
  })

  it('prints the revenue, renewals, health and seat-sharing reports', async () => {
    const revenue = await run('accounts', ['--as-of', '2026-01-31'], ctx)
    expect(revenue).toContain('MRR 1,000.00   ARR 12,000.00   paying accounts 1')
    expect(revenue).toContain('1 accounts (1 pending) — logo 100.0%')
    const json = JSON.parse(await run('accounts', ['--as-of', '2026-01-31', '--json'], ctx)) as { mrr: number }
    expect(json.mrr).toBe(1000)
    expect(await run('accounts', ['show', 'acme', '--as-of', '2026-01-31'], ctx)).toContain('acme: ARR 12000.00 USD, 2 contract versions')
    expect(await run('renewals', ['--as-of', '2026-03-01', '--min-n', '1'], ctx)).toContain('Renewals due by 2026-03-01: 2 with a known outcome')
    expect(await run('health', ['--as-of', '2026-01-31', '--weighting', 'manual'], ctx)).toMatch(/acme\s+12,000\.00/)
    expect(await run('seat-sharing', ['--to', '2026-01-31'], ctx)).toBe('No seat sharing found 2026-01-01..2026-01-31.')
  })

  it('refuses bad arguments with a named parameter', async () => {
    await expect(run('accounts', ['--as-of', '2026-02-30'], ctx)).rejects.toMatchObject({ name: 'ReportParamError', field: 'asOf' })
    await expect(run('health', ['--weighting', 'guess'], ctx)).rejects.toMatchObject({ field: 'weighting' })
    await expect(run('renewals', ['--nope'], ctx)).rejects.toMatchObject({ field: 'argv' })
    await expect(run('accounts', ['frobnicate'], ctx)).rejects.toMatchObject({ field: 'argv' })
  })
})
