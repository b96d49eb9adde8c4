import { describe, expect, it } from 'vitest'
import { parseStripeSubscriptions } from './stripe.js'

const t = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000

function sub(over: Record<string, unknown> = {}) {
  return {
    id: 'sub_1', object: 'subscription', customer: 'cus_1', status: 'active', created: t('2024-05-01'), start_date: t('2024-05-01'),
    current_period_start: t('2025-05-01'), current_period_end: t('2025-06-01'), ended_at: null, cancel_at: null, cancel_at_period_end: false,
    metadata: {},
    items: { object: 'list', data: [{ id: 'si_1', quantity: 5, price: { id: 'price_1', currency: 'usd', unit_amount: 2000, nickname: 'Team', recurring: { interval: 'month', interval_count: 1 } } }] },
    ...over,
  }
}

describe('Stripe subscriptions export', () => {
  it('turns a monthly subscription into one evergreen contract version priced per seat', () => {
    const r = parseStripeSubscriptions({ object: 'list', data: [sub()] })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.rows.contracts).toEqual([{
      contractId: 'sub_1', accountId: 'cus_1', currency: 'USD', billingMonths: 1, amount: '100', seats: 5,
      termStart: '2024-05-01', termEnd: null, effectiveFrom: '2025-05-01',
    }])
    expect(r.rows.accounts).toEqual([{ accountId: 'cus_1', name: '', plan: 'Team', seats: 5, cac: null }])
  })

  it('maps the group() account id from metadata, makes yearly periods terms, and ends canceled ones', () => {
    const yearly = sub({
      id: 'sub_2', customer: { id: 'cus_2', name: 'Bolt Ltd', metadata: { account_id: 'bolt' } },
      current_period_start: t('2025-01-10'), current_period_end: t('2026-01-10'),
      items: { data: [{ quantity: 1, price: { currency: 'jpy', unit_amount: 120000, recurring: { interval: 'year', interval_count: 1 } } }] },
    })
    const canceled = sub({ id: 'sub_3', status: 'canceled', ended_at: t('2025-05-20'), metadata: { account_id: 'cargo' } })
    const trial = sub({ id: 'sub_4', status: 'trialing' })
    const r = parseStripeSubscriptions([yearly, canceled, trial])
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.rows.contracts.map((c) => [c.contractId, c.accountId, c.termStart, c.termEnd, c.amount, c.currency, c.billingMonths])).toEqual([
      ['sub_2', 'bolt', '2025-01-10', '2026-01-10', '120000', 'JPY', 12],
      ['sub_3', 'cargo', '2024-05-01', '2025-05-20', '100', 'USD', 1],
    ])
    expect(r.rows.accounts.find((a) => a.accountId === 'bolt')!.name).toBe('Bolt Ltd')
    expect(r.skipped).toEqual([{ id: 'sub_4', status: 'trialing' }])
  })

  it('names the JSON path of every bad subscription', () => {
    const r = parseStripeSubscriptions({ data: [sub(), sub({ id: 'sub_9', items: { data: [] } }), sub({ customer: 7 }), sub({ items: { data: [{ quantity: 1, price: { currency: 'usd', unit_amount: 5, recurring: { interval: 'week', interval_count: 1 } } }] } })] })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.field)).toEqual(['data[1].items.data', 'data[2].customer', 'data[3]'])
    expect(r.errors[2]!.message).toMatch(/only monthly or longer/)
    expect(parseStripeSubscriptions({ nope: 1 }).ok).toBe(false)
  })
})
