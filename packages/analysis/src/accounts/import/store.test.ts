import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../../testing/store.js'
import type { Store } from '../../store/client.js'
import { loadBook } from '../load.js'
import { importAccountData, listImports } from './index.js'
import { commitImport } from './store.js'

const CONTRACTS = [
  'contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats',
  'c1,acme,2025-01-01,2026-01-01,12000,USD,annual,10',
  'c2,bolt,2025-02-01,,500.25,USD,monthly,',
].join('\n')

describe('account import on the embedded engine', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  let store: Store
  beforeAll(async () => {
    t = await openTestStore()
    store = t.store
  })
  afterAll(() => t.cleanup())

  const countRows = async (table: string) => {
    const rs = await store.client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' })
    return Number((await rs.json<{ n: string }>())[0]!.n)
  }

  it('stores a valid file and reads it back exactly', async () => {
    const r = await importAccountData(store.client, 'p1', { format: 'csv', content: CONTRACTS })
    expect(r.ok && [r.status, r.kind, r.rows.contracts]).toEqual(['committed', 'contracts', 2])
    const book = await loadBook(store.client, 'p1')
    expect(book.contracts).toEqual([
      { contractId: 'c1', accountId: 'acme', effectiveFrom: '2025-01-01', termStart: '2025-01-01', termEnd: '2026-01-01', amount: '12000', currency: 'USD', billingMonths: 12, seats: 10 },
      { contractId: 'c2', accountId: 'bolt', effectiveFrom: '2025-02-01', termStart: '2025-02-01', termEnd: null, amount: '500.25', currency: 'USD', billingMonths: 1, seats: null },
    ])
    expect((await loadBook(store.client, 'other')).contracts).toEqual([])
  })

  it('is idempotent: the same file again changes nothing, and the latest import wins per key', async () => {
    const before = await countRows('contract_versions')
    const again = await importAccountData(store.client, 'p1', { format: 'csv', content: CONTRACTS })
    expect(again.ok && again.status).toBe('unchanged')
    expect(await countRows('contract_versions')).toBe(before)

    const changed = CONTRACTS.replace('500.25', '650')
    expect((await importAccountData(store.client, 'p1', { format: 'csv', content: changed })).ok).toBe(true)
    expect((await loadBook(store.client, 'p1')).contracts.map((c) => c.amount)).toEqual(['12000', '650'])
    await importAccountData(store.client, 'p1', { format: 'csv', content: CONTRACTS })
    const book = await loadBook(store.client, 'p1')
    expect(book.contracts.map((c) => c.amount)).toEqual(['12000', '500.25'])
    expect(book.contracts).toHaveLength(2)
  })

  it('stores nothing from a file with a bad row', async () => {
    const imports = (await listImports(store.client, 'p1')).length
    const rows = await countRows('contract_versions')
    const bad = `${CONTRACTS}\nc3,cargo,2025-03-01,,abc,USD,monthly,`
    const r = await importAccountData(store.client, 'p1', { format: 'csv', content: bad })
    expect(!r.ok && r.errors).toEqual([{ line: 4, field: 'amount', message: 'amount "abc" is not an amount (digits, optional "." and up to 4 decimals, no sign or separators)' }])
    expect((await listImports(store.client, 'p1')).length).toBe(imports)
    expect(await countRows('contract_versions')).toBe(rows)
  })

  it('never shows an import whose writes failed midway', async () => {
    const before = await loadBook(store.client, 'p1')
    // Contracts are written, then the renewal rows fail in the engine (a date it cannot parse):
    // the contracts already written must stay invisible.
    const failing = commitImport(store.client, 'p1', {
      accounts: [{ accountId: 'acme', name: 'Renamed', plan: 'x', seats: 1, cac: null }],
      contracts: [{ contractId: 'c1', accountId: 'acme', effectiveFrom: '2025-01-01', termStart: '2025-01-01', termEnd: '2026-01-01', amount: '1', currency: 'USD', billingMonths: 12, seats: 1 }],
      outcomes: [{ contractId: 'c1', accountId: 'acme', dueDate: 'not a date', outcome: 'churned', newAmount: null, newBillingMonths: null, newSeats: null }],
    }, { source: 'csv', kind: 'mixed', content: 'test' })
    await expect(failing).rejects.toThrow()
    expect(await loadBook(store.client, 'p1')).toEqual(before)
    const [last] = await listImports(store.client, 'p1')
    expect([last!.kind, last!.status]).toEqual(['mixed', 'failed'])
  })

  it('keeps earlier account fields that a later import leaves empty', async () => {
    await importAccountData(store.client, 'p1', { format: 'csv', content: 'account_id,name,plan,seats,cac\nacme,Acme Inc,team,10,4200.50' })
    await importAccountData(store.client, 'p1', { format: 'csv', content: 'account_id,name,plan,seats,cac\nacme,,scale,12,' })
    const book = await loadBook(store.client, 'p1')
    expect(book.accounts).toEqual([{ accountId: 'acme', name: 'Acme Inc', plan: 'scale', seats: 12, cac: '4200.5' }])
  })
})
