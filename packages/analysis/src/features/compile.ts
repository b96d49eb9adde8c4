import type { Params } from '../sql/params.js'
import { parsePathPattern } from './path-pattern.js'
import type { FeatureRule } from './rules.js'
import { parseSelector, type Compound } from './selector.js'
import { textContainsSql, textEqualsSql } from '../text/sql.js'

/** Element text is stored as tokens; text conditions read the project's key and public texts through this placeholder. */
const PROJECT = '{project:String}'

/**
 * Compiles feature rules to one ClickHouse boolean expression over an `events` row (columns
 * event, path, feature_key, elements). Every user-supplied value becomes a query parameter.
 * `elements[1]` is the clicked element and later entries its ancestors.
 */
export function compileRules(rules: readonly FeatureRule[], params: Params, project: string = PROJECT): string {
  if (rules.length === 0) return '0'
  const parts = rules.map((r) => compileRule(r, params, project))
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`
}

/**
 * The same condition for scans of many events: element and URL rules test the row's
 * `chain_hash` / `path` against the distinct chains / paths of the project that match
 * (tables `element_chains`, `event_paths`), evaluated once per query. `project` is the
 * placeholder of the project id, e.g. `{project:String}`. Same result as `compileRules`.
 */
export function compileRulesIndexed(rules: readonly FeatureRule[], params: Params, project: string): string {
  if (rules.length === 0) return '0'
  const parts = rules.map((r) => {
    if (r.type === 'element') {
      return `(chain_hash IN (SELECT chain_hash FROM element_chains WHERE project_id = ${project} AND ${compileRule(r, params, project)}))`
    }
    if (r.type === 'url') return `(path IN (SELECT path FROM event_paths WHERE project_id = ${project} AND ${compileRule(r, params, project)}))`
    return compileRule(r, params, project)
  })
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`
}

/** `project`: placeholder of the project id, which text conditions need (its key, its public texts). */
export function compileRule(rule: FeatureRule, params: Params, project: string = PROJECT): string {
  switch (rule.type) {
    case 'event':
      return `(event = ${params.add(rule.name, 'String')})`
    case 'feature_key':
      return `(feature_key = ${params.add(rule.key, 'String')})`
    case 'url':
      return `match(path, ${params.add(parsePathPattern(rule.pattern), 'String')})`
    case 'element':
      return compileElement(rule.selector, rule.text, rule.textMatch, params, project)
  }
}

function compileElement(
  selector: string | undefined,
  text: string | undefined,
  textMatch: 'equals' | 'contains',
  params: Params,
  project: string,
): string {
  const compounds = selector === undefined ? [{ classes: [], attrs: [] }] : parseSelector(selector)
  const textCond =
    text === undefined
      ? null
      : textMatch === 'equals'
        ? textEqualsSql('el.text', params.add(text, 'String'), project)
        : textContainsSql('el.text', params.add(text, 'String'), project)
  const last = compounds.length - 1
  const lastCond = [compoundCondition(compounds[last]!, params, project), textCond].filter(Boolean).join(' AND ') || '1'
  if (compounds.length === 1) return `arrayExists(el -> ${lastCond}, elements)`
  // Greedy subsequence match from the clicked element outwards: the nearest element matching
  // the last compound, then the nearest ancestor of it matching the one before, and so on.
  // Earliest choices leave the most ancestors for the rest, so greedy finds a match if any exists.
  let index = `arrayFirstIndex(el -> ${lastCond}, elements)`
  for (let k = last - 1; k >= 0; k--) {
    const cond = compoundCondition(compounds[k]!, params, project) || '1'
    index = `arrayFirstIndex((el, i) -> i > ${index} AND ${index} > 0 AND ${cond}, elements, arrayEnumerate(elements))`
  }
  return `(${index} > 0)`
}

function compoundCondition(c: Compound, params: Params, project: string): string {
  const parts: string[] = []
  if (c.tag !== undefined) parts.push(`el.tag = ${params.add(c.tag, 'String')}`)
  if (c.id !== undefined) parts.push(`el.id = ${params.add(c.id, 'String')}`)
  if (c.classes.length === 1) parts.push(`has(el.classes, ${params.add(c.classes[0], 'String')})`)
  else if (c.classes.length > 1) parts.push(`hasAll(el.classes, ${params.add(c.classes, 'Array(String)')})`)
  for (const a of c.attrs) {
    if (a.name === 'id' && a.value !== undefined) {
      parts.push(`el.id = ${params.add(a.value, 'String')}`)
      continue
    }
    const name = params.add(a.name, 'String')
    if (a.value === undefined) parts.push(`mapContains(el.attrs, ${name})`)
    // A missing key reads as '', so an empty value must also check presence.
    else if (a.value === '') parts.push(`(mapContains(el.attrs, ${name}) AND el.attrs[${name}] = '')`)
    // aria-label values are stored as text tokens, like element text.
    else if (a.name === 'aria-label') parts.push(textEqualsSql(`el.attrs[${name}]`, params.add(a.value, 'String'), project))
    else parts.push(`el.attrs[${name}] = ${params.add(a.value, 'String')}`)
  }
  return parts.join(' AND ')
}
