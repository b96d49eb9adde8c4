/**
 * The CSS selector subset a feature may use: compounds of tag, #id, .class, [attr] and
 * [attr=value], joined by descendant (whitespace) combinators. Pseudo-classes, `>`, `+`, `~`
 * and selector lists are refused with a message saying what to use instead, so a PM never
 * saves a selector that silently matches nothing.
 */
export interface Compound {
  /** Lower-case tag name; undefined for any tag. */
  tag?: string
  id?: string
  classes: string[]
  attrs: { name: string; value?: string }[]
}

export class SelectorError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SelectorError'
  }
}

export const MAX_SELECTOR_LENGTH = 500
export const MAX_COMPOUNDS = 5

const NAME = /^-?[A-Za-z_\u00a0-\uffff][\w\u00a0-\uffff-]*/
/** Class and id values in the wild (Tailwind, CSS modules) are more permissive than CSS idents. */
const TOKEN = /^[\w\u00a0-\uffff-]+/

/** Parses `selector` into compounds, outermost ancestor first, the element itself last. */
export function parseSelector(selector: string): Compound[] {
  if (selector.length > MAX_SELECTOR_LENGTH) throw new SelectorError(`selector longer than ${MAX_SELECTOR_LENGTH} characters`)
  const src = selector.trim()
  if (!src) throw new SelectorError('empty selector')
  const compounds: Compound[] = []
  let i = 0
  while (i < src.length) {
    const [compound, next] = parseCompound(src, i)
    compounds.push(compound)
    i = next
    const ws = /^\s*/.exec(src.slice(i))![0].length
    i += ws
    if (i >= src.length) break
    const c = src[i]!
    if (c === '>' || c === '+' || c === '~') {
      throw new SelectorError(`combinator "${c}" is not supported; use a space (descendant)`)
    }
    if (c === ',') throw new SelectorError('selector lists are not supported; add one rule per selector (rules combine with OR)')
    if (ws === 0) throw new SelectorError(`unexpected "${c}" at position ${i}`)
  }
  if (compounds.length > MAX_COMPOUNDS) throw new SelectorError(`at most ${MAX_COMPOUNDS} compounds per selector`)
  return compounds
}

function parseCompound(src: string, start: number): [Compound, number] {
  const compound: Compound = { classes: [], attrs: [] }
  let i = start
  let parts = 0
  const tag = src[i] === '*' ? '*' : NAME.exec(src.slice(i))?.[0]
  if (tag !== undefined) {
    if (tag !== '*') compound.tag = tag.toLowerCase()
    i += tag.length
    parts++
  }
  for (;;) {
    const c = src[i]
    if (c === '#' || c === '.') {
      const m = TOKEN.exec(src.slice(i + 1))
      if (!m) throw new SelectorError(`expected a name after "${c}" at position ${i}`)
      if (c === '#') {
        if (compound.id !== undefined && compound.id !== m[0]) throw new SelectorError('an element has one id')
        compound.id = m[0]
      } else compound.classes.push(m[0])
      i += 1 + m[0].length
      parts++
    } else if (c === '[') {
      const [attr, next] = parseAttr(src, i)
      compound.attrs.push(attr)
      i = next
      parts++
    } else if (c === ':') {
      throw new SelectorError('pseudo-classes are not supported; use an element text rule for text')
    } else break
  }
  if (parts === 0) throw new SelectorError(`unexpected "${src[start] ?? ''}" at position ${start}`)
  return [compound, i]
}

function parseAttr(src: string, start: number): [{ name: string; value?: string }, number] {
  let i = start + 1
  const skipWs = (): void => {
    while (src[i] === ' ' || src[i] === '\t') i++
  }
  skipWs()
  const name = TOKEN.exec(src.slice(i))
  if (!name) throw new SelectorError(`expected an attribute name at position ${i}`)
  i += name[0].length
  skipWs()
  if (src[i] === ']') return [{ name: name[0].toLowerCase() }, i + 1]
  if (src[i] !== '=') throw new SelectorError(`only [attr] and [attr=value] are supported (position ${i})`)
  i++
  skipWs()
  let value: string
  const q = src[i]
  if (q === '"' || q === "'") {
    const end = src.indexOf(q, i + 1)
    if (end < 0) throw new SelectorError('unterminated quoted value')
    value = src.slice(i + 1, end)
    i = end + 1
  } else {
    const m = TOKEN.exec(src.slice(i))
    if (!m) throw new SelectorError(`expected a value at position ${i}`)
    value = m[0]
    i += m[0].length
  }
  skipWs()
  if (src[i] !== ']') throw new SelectorError(`expected "]" at position ${i}`)
  return [{ name: name[0].toLowerCase(), value }, i + 1]
}

/** Canonical text of parsed compounds (used for display and to compare suggestions with definitions). */
export function formatSelector(compounds: readonly Compound[]): string {
  return compounds
    .map((c) => {
      let s = c.tag ?? ''
      if (c.id !== undefined) s += `#${c.id}`
      for (const cls of c.classes) s += `.${cls}`
      for (const a of c.attrs) s += a.value === undefined ? `[${a.name}]` : `[${a.name}="${a.value.replace(/"/g, '')}"]`
      return s || '*'
    })
    .join(' ')
}
