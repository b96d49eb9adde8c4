import type { FeatureDefinition, FeatureInput, FeatureRule } from '@tenure/analysis'

/**
 * The feature editor is a plain HTML form: a few rule slots (`r0_type`, `r0_value`, `r0_text`,
 * `r0_match`, …). These functions turn definitions into slot values and posted forms back into
 * the definition input the analysis package validates.
 */
export type RuleType = FeatureRule['type']
export const RULE_TYPES: { value: RuleType; label: string; help: string }[] = [
  { value: 'element', label: 'Clicked element', help: 'a selector such as button.connect, #export or [data-role=save], and/or the element text' },
  { value: 'feature_key', label: 'data-feature key', help: 'the value of a data-feature attribute, e.g. reports.schedule' },
  { value: 'url', label: 'Page URL', help: 'a path pattern: * within a segment, ** across, :id one segment, e.g. /reports/**' },
  { value: 'event', label: 'Custom event', help: 'the name passed to track(), e.g. report_exported' },
]

export interface RuleSlot {
  type: RuleType | ''
  value: string
  text: string
  match: 'equals' | 'contains'
}

export interface FeatureFormValues {
  id: string
  name: string
  description: string
  rules: RuleSlot[]
}

export const EMPTY_SLOT: RuleSlot = { type: '', value: '', text: '', match: 'equals' }

export function slotOf(rule: FeatureRule): RuleSlot {
  switch (rule.type) {
    case 'element':
      return { type: 'element', value: rule.selector ?? '', text: rule.text ?? '', match: rule.textMatch ?? 'equals' }
    case 'feature_key':
      return { ...EMPTY_SLOT, type: 'feature_key', value: rule.key }
    case 'url':
      return { ...EMPTY_SLOT, type: 'url', value: rule.pattern }
    case 'event':
      return { ...EMPTY_SLOT, type: 'event', value: rule.name }
  }
}

/** Form values for a definition (or a suggestion), with at least `min` slots and one blank one to add a rule. */
export function formValues(f: Partial<Pick<FeatureDefinition, 'id' | 'name' | 'description' | 'rules'>>, min = 3): FeatureFormValues {
  const rules = (f.rules ?? []).map(slotOf)
  while (rules.length < Math.max(min, (f.rules?.length ?? 0) + 1)) rules.push({ ...EMPTY_SLOT })
  return { id: f.id ?? '', name: f.name ?? '', description: f.description ?? '', rules }
}

const MAX_SLOTS = 50

/** Reads a posted form (trimmed strings) into form values; unknown types become blank slots. */
export function readForm(body: Record<string, unknown>): FeatureFormValues {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '')
  const rules: RuleSlot[] = []
  for (let i = 0; i < MAX_SLOTS; i++) {
    if (body[`r${i}_type`] === undefined) break
    const type = str(`r${i}_type`)
    rules.push({
      type: RULE_TYPES.some((t) => t.value === type) ? (type as RuleType) : '',
      value: str(`r${i}_value`),
      text: str(`r${i}_text`),
      match: str(`r${i}_match`) === 'contains' ? 'contains' : 'equals',
    })
  }
  return { id: str('id'), name: str('name'), description: str('description'), rules }
}

/** Rules of the filled slots (a slot with a type but nothing in it is left out). */
export function rulesOf(v: FeatureFormValues): unknown[] {
  const out: unknown[] = []
  for (const s of v.rules) {
    if (s.type === 'element') {
      if (!s.value && !s.text) continue
      out.push({ type: 'element', ...(s.value ? { selector: s.value } : {}), ...(s.text ? { text: s.text, textMatch: s.match } : {}) })
    } else if (s.type === 'feature_key' && s.value) out.push({ type: 'feature_key', key: s.value })
    else if (s.type === 'url' && s.value) out.push({ type: 'url', pattern: s.value })
    else if (s.type === 'event' && s.value) out.push({ type: 'event', name: s.value })
  }
  return out
}

/** The input for createFeature/updateFeature; the analysis package validates it. */
export function featureInput(v: FeatureFormValues, withId: boolean): FeatureInput {
  return {
    ...(withId && v.id ? { id: v.id } : {}),
    name: v.name,
    description: v.description,
    rules: rulesOf(v) as FeatureRule[],
  }
}

/** A rule in a few words, for lists. */
export function ruleText(r: FeatureRule): string {
  switch (r.type) {
    case 'element': {
      const parts = [r.selector ? `click on ${r.selector}` : 'click on any element']
      if (r.text) parts.push(`${r.textMatch === 'contains' ? 'containing' : 'with text'} "${r.text}"`)
      return parts.join(' ')
    }
    case 'feature_key':
      return `data-feature="${r.key}"`
    case 'url':
      return `page ${r.pattern}`
    case 'event':
      return `event ${r.name}`
  }
}
