import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCollector, type Collector } from '@tenure/collector'

/** The simulator's command line against a real collector: events over POST /v1/batch, the book over the import API. */
const EXAMPLES = fileURLToPath(new URL('..', import.meta.url))
const TSX = join(EXAMPLES, '../node_modules/tsx/dist/cli.mjs')
const dir = mkdtempSync(join(tmpdir(), 'tenure-cli-'))
const out = join(dir, 'world')
const WRITE = 'wk_cli_test'
const SECRET = 'sk_cli_test_secret'
let collector: Collector
let url: string

beforeAll(async () => {
  collector = await createCollector({ dataDir: join(dir, 'data'), env: { TENURE_WRITE_KEY: WRITE, TENURE_SECRET_KEY: SECRET } })
  ;({ url } = await collector.listen(0))
})

afterAll(async () => {
  await collector?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('simulate/cli.ts', () => {
  it('sends a seeded world through ingestion and imports its account book', async () => {
    const args = [TSX, 'simulate/cli.ts', '--users', '60', '--days', '30', '--seed', '4', '--to', url, '--key', WRITE, '--secret', SECRET, '--out', out]
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: EXAMPLES })
    const events = Number(/^(\d+) events/.exec(stdout)?.[1])
    expect(events).toBeGreaterThan(1000)
    expect(stdout).toContain(' 0 rejected')
    expect(stdout).toContain('account book imported')

    const count = await fetch(`${url}/v1/events/count?flush=1`, { headers: { authorization: `Bearer ${SECRET}` } })
    expect(((await count.json()) as { count: number }).count).toBe(events)
    const imports = await fetch(`${url}/v1/accounts/imports`, { headers: { authorization: `Bearer ${SECRET}` } })
    expect(imports.status).toBe(200)
    const body = JSON.stringify(await imports.json())
    for (const kind of ['accounts', 'contracts', 'renewals']) expect(body).toContain(kind)

    const truth = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')) as { totals: { events: number }; renewalFeature: string }
    expect(truth.totals.events).toBe(events)
    expect(truth.renewalFeature).toBe('dashboard.share')
    expect(readFileSync(join(out, 'contracts.csv'), 'utf8').split('\n')[0]).toBe('contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats')
  }, 120_000)

  it('refuses --to without a write key, with a clear message', async () => {
    const run = promisify(execFile)(process.execPath, [TSX, 'simulate/cli.ts', '--to', url], { cwd: EXAMPLES })
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('--to needs --key') })
  })
})
