import { describe, expect, it } from 'vitest'
import { featureRenewal } from './feature-renewal.js'
import { renewalsText, revenueText, table } from './report-text.js'
import { computeRevenueReport } from './revenue-report.js'
import { smallAccounts, smallContracts } from './__fixtures__/small-book.js'

describe('report text', () => {
  it('aligns tables', () => {
    expect(table(['a', 'bb'], [['x', '1'], ['yyy', '22']])).toBe('a    bb\n---  --\nx     1\nyyy  22')
  })

  it('renders the revenue report with the worked numbers', () => {
    const text = revenueText(computeRevenueReport({ accounts: smallAccounts, contracts: smallContracts, outcomes: [] }, { asOf: '2026-01-31' }))
    expect(text).toContain('MRR 2,200.00   ARR 26,400.00   paying accounts 4   ARPA 550.00')
    expect(text).toContain('logo 50.0%, gross dollar 66.7%, net dollar 73.3%')
    // Cohort ratios: A 1000 → 1100, B 500 → 600 (back since July): NRR 1700 / 1500, GRR 1500 / 1500.
    expect(text).toContain('NRR 113.3%  GRR 100.0%')
    expect(text).toContain('S 2 (paying on 2025-02-01)')
    expect(text).toMatch(/2025-04\s+2,100\.00\s+0\.00\s+0\.00\s+0\.00\s+0\.00\s+500\.00\s+1,600\.00\s+ok/)
  })

  it('renders feature × renewal with the baseline and the caveat', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ renewed: i % 2 === 0 || i < 40, features: new Set(i < 40 ? ['x'] : []) }))
    const text = renewalsText({ asOf: '2026-01-31', currency: 'USD', lookbackDays: 90, pending: 0, renewals: [], featureSource: 'feature_key', featureNames: {}, featureRenewal: featureRenewal(rows) })
    expect(text).toContain('Overall renewal rate 70/100 = 70.0%')
    expect(text).toMatch(/x\s+40\/40\s+100\.0% \[91\.2%, 100\.0%\]\s+30\/60\s+50\.0%/)
    expect(text).toContain('HIGH RENEWAL')
    expect(text).toContain('not proof of cause')
  })
})
