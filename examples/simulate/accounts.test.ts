import { describe, expect, it } from 'vitest'
import { parseSimConfig } from './config.js'
import { contractAmount, decideRenewal } from './accounts.js'
import { accountBookCsv, csvField } from './book-csv.js'

const renewal = parseSimConfig({ endDate: '2025-06-01' }).renewal

describe('decideRenewal', () => {
  const base = { billingPeriod: 'monthly' as const, usedRenewalFeature: true, activeUsers: 3, members: 3, seats: 3 }

  it('renews below the probability and churns at or above it', () => {
    expect(decideRenewal(base, renewal, 0.96).outcome).toBe('renewed')
    expect(decideRenewal(base, renewal, 0.97)).toEqual({ outcome: 'churned', seats: 0 })
    expect(decideRenewal({ ...base, usedRenewalFeature: false }, renewal, 0.71).outcome).toBe('renewed')
    expect(decideRenewal({ ...base, usedRenewalFeature: false }, renewal, 0.72).outcome).toBe('churned')
    expect(decideRenewal({ ...base, billingPeriod: 'annual', usedRenewalFeature: false }, renewal, 0.56).outcome).toBe('churned')
  })

  it('expands to the number of people when more people than seats', () => {
    expect(decideRenewal({ ...base, members: 5 }, renewal, 0)).toEqual({ outcome: 'expanded', seats: 5 })
  })

  it('contracts when fewer than half the seats are in use', () => {
    expect(decideRenewal({ ...base, seats: 8, members: 8, activeUsers: 2 }, renewal, 0)).toEqual({ outcome: 'contracted', seats: 3 })
  })
})

describe('contractAmount', () => {
  it('prices seats per month, annual terms with a 15% discount', () => {
    expect(contractAmount('team', 4, 1, 'monthly')).toBe(120)
    expect(contractAmount('team', 4, 12, 'annual')).toBe(1224)
  })
})

describe('accountBookCsv', () => {
  it('writes the three import files, with renewal rows for terms that came due', () => {
    const csv = accountBookCsv({
      accounts: [{ id: 'a1', name: 'Blue, Inc', plan: 'Team', seats: 3, created_at: '2025-01-01' }],
      contracts: [
        { id: 'c1', account_id: 'a1', start: '2025-01-01', end: '2025-02-01', amount: 90, currency: 'USD', billing_period: 'monthly', seats: 3, outcome: 'expanded', new_amount: 120 },
        { id: 'c2', account_id: 'a1', start: '2025-02-01', end: '2025-03-01', amount: 120, currency: 'USD', billing_period: 'monthly', seats: 4, outcome: 'churned', new_amount: 0 },
      ],
    })
    expect(csv.accounts).toBe('account_id,name,plan,seats\na1,"Blue, Inc",Team,3\n')
    expect(csv.contracts.split('\n')[1]).toBe('c1,a1,2025-01-01,2025-02-01,90.00,USD,monthly,3')
    expect(csv.renewals).toBe(
      'contract_id,account_id,due_date,outcome,new_amount,new_seats\nc1,a1,2025-02-01,expanded,120.00,4\nc2,a1,2025-03-01,churned,,\n',
    )
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
  })
})
