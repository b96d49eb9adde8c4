import { describe, expect, it } from 'vitest'
import { SegmentDefinition, SegmentInput } from './definition.js'

const parse = (v: unknown) => SegmentDefinition.safeParse(v)
const firstIssue = (v: unknown) => {
  const r = parse(v)
  return r.success ? null : { path: r.error.issues[0]!.path.join('.'), message: r.error.issues[0]!.message }
}

describe('SegmentDefinition', () => {
  it('accepts every kind of condition and defaults to all', () => {
    const r = parse({
      conditions: [
        { type: 'property', property: 'account.plan', op: 'in', values: ['team', 'business'] },
        { type: 'property', property: 'person.seats used', op: 'gte', value: 3 },
        { type: 'property', property: 'first.utm_source', op: 'exists' },
        { type: 'used_feature', feature: 'export', withinDays: 7 },
        { type: 'active_days', minDays: 3, lastDays: 14 },
        { type: 'account_renewing', withinDays: 60 },
      ],
    })
    expect(r.success).toBe(true)
    expect(r.success && r.data.match).toBe('all')
  })

  it('refuses bad conditions, naming where', () => {
    expect(firstIssue({ conditions: [] })?.path).toBe('conditions')
    expect(firstIssue({ conditions: [{ type: 'property', property: 'plan', op: 'eq', value: 'x' }] })?.path).toBe('conditions.0.property')
    expect(firstIssue({ conditions: [{ type: 'property', property: 'person.plan', op: 'gt', value: 'ten' }] })?.path).toBe('conditions.0.value')
    expect(firstIssue({ conditions: [{ type: 'property', property: 'person.plan', op: 'in', values: [] }] })?.path).toBe('conditions.0.values')
    expect(firstIssue({ conditions: [{ type: 'active_days', minDays: 5, lastDays: 3 }] })?.path).toBe('conditions.0.minDays')
    expect(firstIssue({ conditions: [{ type: 'used_feature', feature: 'Export!', withinDays: 7 }] })?.path).toBe('conditions.0.feature')
    expect(parse({ conditions: [{ type: 'account_renewing', withinDays: 30, extra: 1 }] }).success).toBe(false)
    expect(parse({ match: 'some', conditions: [{ type: 'account_renewing', withinDays: 30 }] }).success).toBe(false)
  })

  it('takes a name, an optional id and description', () => {
    const r = SegmentInput.safeParse({ name: 'Admins', definition: { conditions: [{ type: 'property', property: 'person.role', op: 'eq', value: 'admin' }] } })
    expect(r.success && r.data.description).toBe('')
    expect(SegmentInput.safeParse({ id: 'Bad Id', name: 'x', definition: { conditions: [{ type: 'account_renewing', withinDays: 1 }] } }).success).toBe(false)
  })
})
