import { describe, expect, it } from 'vitest'
import { featureInput, formValues, readForm, ruleText, rulesOf } from './feature-form.js'

describe('feature form', () => {
  it('round-trips a definition through the form slots', () => {
    const rules = [
      { type: 'element' as const, selector: 'button.connect', text: 'Connect', textMatch: 'equals' as const },
      { type: 'feature_key' as const, key: 'reports.schedule' },
      { type: 'url' as const, pattern: '/reports/**' },
      { type: 'event' as const, name: 'report_exported' },
    ]
    const v = formValues({ id: 'f1', name: 'Reports', description: 'd', rules })
    expect(v.rules).toHaveLength(5)
    expect(v.rules[4]).toEqual({ type: '', value: '', text: '', match: 'equals' })
    const posted: Record<string, string> = { id: 'f1', name: ' Reports ', description: 'd' }
    v.rules.forEach((s, i) => Object.assign(posted, { [`r${i}_type`]: s.type, [`r${i}_value`]: s.value, [`r${i}_text`]: s.text, [`r${i}_match`]: s.match }))
    expect(featureInput(readForm(posted), false)).toEqual({ name: 'Reports', description: 'd', rules })
    expect(featureInput(readForm(posted), true)).toMatchObject({ id: 'f1' })
  })

  it('leaves out blank slots and element rules with nothing to match', () => {
    const v = readForm({ name: 'x', r0_type: 'element', r0_value: '', r0_text: '', r1_type: 'url', r1_value: '', r2_type: 'bogus', r2_value: 'y', r3_type: 'element', r3_text: 'Share', r3_match: 'contains' })
    expect(v.rules.map((r) => r.type)).toEqual(['element', 'url', '', 'element'])
    expect(rulesOf(v)).toEqual([{ type: 'element', text: 'Share', textMatch: 'contains' }])
  })

  it('says what a rule matches', () => {
    expect(ruleText({ type: 'element', selector: 'button.connect', text: 'Connect', textMatch: 'equals' })).toBe('click on button.connect with text "Connect"')
    expect(ruleText({ type: 'element', text: 'share', textMatch: 'contains' })).toBe('click on any element containing "share"')
    expect(ruleText({ type: 'feature_key', key: 'a.b' })).toBe('data-feature="a.b"')
    expect(ruleText({ type: 'url', pattern: '/x/**' })).toBe('page /x/**')
    expect(ruleText({ type: 'event', name: 'e' })).toBe('event e')
  })
})
