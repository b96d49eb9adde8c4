import { describe, expect, it } from 'vitest'
import { parseAccountsCsv } from './csv.js'

describe('CSV import parsing', () => {
  it('reads contracts with normalised billing periods and dated versions', () => {
    const csv = [
      'contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats,effective_from',
      'c1,acme,2025-01-01,2026-01-01,12000,usd,annual,10,',
      'c1,acme,2025-01-01,2026-01-01,14400,USD,annual,12,2025-06-01',
      'c2,bolt,2025-02-01,2028-02-01,36000.50,EUR,term,,',
      'c3,cargo,2025-03-01,,99.9,GBP,monthly,3,',
    ].join('\n')
    const r = parseAccountsCsv(csv)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.kind).toBe('contracts')
    expect(r.rows.contracts.map((c) => [c.contractId, c.effectiveFrom, c.currency, c.billingMonths, c.termEnd])).toEqual([
      ['c1', '2025-01-01', 'USD', 12, '2026-01-01'],
      ['c1', '2025-06-01', 'USD', 12, '2026-01-01'],
      ['c2', '2025-02-01', 'EUR', 36, '2028-02-01'],
      ['c3', '2025-03-01', 'GBP', 1, null],
    ])
  })

  it('reports every bad row with its line number and column, and imports nothing', () => {
    const csv = [
      'contract_id,account_id,due_date,outcome,new_amount',
      'c1,acme,2026-01-01,renewed,13200',
      'c2,bolt,2026-02-30,renewed,100', // line 3: no such date
      '',
      'c3,cargo,2026-01-01,upgraded,100', // line 5: unknown outcome
      'c4,delta,2026-01-01,expanded,', // line 6: amount missing
      'c1,acme,2026-01-01,churned,', // line 7: same key as line 2
    ].join('\n')
    const r = parseAccountsCsv(csv)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.kind).toBe('renewals')
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[3, 'due_date'], [5, 'outcome'], [6, 'new_amount'], [7, null]])
    expect(r.errors[3]!.message).toBe('c1 due 2026-01-01 already appears on line 2')
  })

  it('validates the header: missing, unknown and repeated columns', () => {
    const r = parseAccountsCsv('account_id,name,seets,name\nacme,Acme,3,Acme', 'accounts')
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.message)).toEqual([
      'unknown column "seets" for accounts; known: account_id, name, plan, seats, cac',
      'column name appears twice',
    ])
    const missing = parseAccountsCsv('contract_id,account_id,term_start,amount,currency\nc,a,2025-01-01,1,USD')
    expect(!missing.ok && missing.errors.map((e) => e.message)).toEqual(['missing required column billing_period for contracts'])
  })

  it('counts lines of quoted multi-line fields and reports broken CSV', () => {
    const r = parseAccountsCsv('account_id,name,seats\n"a1","Two\nlines",3\na2,Ok,many')
    expect(!r.ok && r.errors).toEqual([{ line: 4, field: 'seats', message: 'seats "many" is not a whole number of seats' }])
    const broken = parseAccountsCsv('account_id,name\na1,x,extra')
    expect(!broken.ok && broken.errors[0]!.line).toBe(2)
    expect(!parseAccountsCsv('').ok).toBe(true)
  })

  it('refuses a contract that changes account and terms that end before they start', () => {
    const csv = [
      'contract_id,account_id,term_start,term_end,amount,currency,billing_period',
      'c1,acme,2025-01-01,2024-01-01,1,USD,monthly',
      'c2,acme,2025-01-01,,1,USD,monthly',
      'c2,bolt,2025-02-01,,1,USD,monthly',
      'c3,bolt,2025-01-01,,1,USD,weekly',
    ].join('\n')
    const r = parseAccountsCsv(csv)
    expect(!r.ok && r.errors.map((e) => [e.line, e.field])).toEqual([[2, 'term_end'], [4, 'account_id'], [5, 'billing_period']])
    expect(!r.ok && r.errors[1]!.message).toBe('contract c2 belongs to acme on line 3, here to bolt')
  })

  it('reads Windows line endings and a byte-order mark', () => {
    const r = parseAccountsCsv('\ufeffAccount_ID,Name,Seats\r\nacme,"Acme, Inc.",10\r\nbolt,Bolt,x\r\n')
    expect(!r.ok && r.errors.map((e) => [e.line, e.field])).toEqual([[3, 'seats']])
    const ok = parseAccountsCsv('\ufeffAccount_ID,Name\r\nacme,"Acme, Inc."\r\n')
    expect(ok.ok && ok.rows.accounts).toEqual([{ accountId: 'acme', name: 'Acme, Inc.', plan: '', seats: null, cac: null }])
  })
})
