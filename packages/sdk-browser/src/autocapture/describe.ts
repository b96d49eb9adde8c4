import type { WireElement } from '../types.js'
import type { Sanitize } from '../url.js'
import { hasUserText, masksText, NO_CAPTURE_ATTR, skipSubtree } from './privacy.js'
import { cleanText, ownText, subtreeText } from './text.js'

/** The collector keeps at most this many elements per chain (`LIMITS.elementsPerChain`). */
export const MAX_CHAIN = 64
const MAX_CLASSES = 32
/** Besides `data-*`: what tells an element's purpose without reading what the user typed. */
const KEPT_ATTRS = new Set(['name', 'type', 'role', 'aria-label', 'href'])
const FEATURE_ATTR = 'data-feature'

export interface DescribeOptions {
  maskAllText: boolean
  sanitize: Sanitize
}

export interface Description {
  /** `elements[0]` is the target, then its ancestors up to and including body. */
  elements: WireElement[]
  /** The nearest `data-feature` on the chain. */
  featureKey?: string
}

/** The parent element, stepping out of a shadow root to its host. */
export function parentOf(el: Element): Element | null {
  const p = el.parentNode
  if (!p) return null
  if (p.nodeType === 1) return p as Element
  return p.nodeType === 11 ? (p as ShadowRoot).host ?? null : null
}

/**
 * Describes `target` and its ancestors up to body, across open shadow roots. Returns null when
 * the target sits inside a `data-tenure-no-capture` subtree. Reads attributes and text nodes
 * only: no layout, no computed style, never a field's value.
 */
export function describeElement(target: Element, opts: DescribeOptions): Description | null {
  const elements: WireElement[] = []
  let featureKey: string | undefined
  let maskedUpTo = -1
  for (let el: Element | null = target; el; el = parentOf(el)) {
    if (el.hasAttribute(NO_CAPTURE_ATTR)) return null
    // A mask covers the whole subtree: everything described so far lies inside it.
    if (masksText(el)) maskedUpTo = elements.length
    if (featureKey === undefined) {
      const f = el.getAttribute(FEATURE_ATTR)
      if (f) featureKey = f.slice(0, 200)
    }
    if (elements.length < MAX_CHAIN) elements.push(describeOne(el, elements.length === 0, opts))
    if (el.localName === 'body') break
  }
  for (let i = 0; i <= maskedUpTo && i < elements.length; i++) {
    const e = elements[i]!
    delete e.text
    if (e.attrs) {
      delete e.attrs['aria-label']
      if (!Object.keys(e.attrs).length) delete e.attrs
    }
  }
  return featureKey === undefined ? { elements } : { elements, featureKey }
}

function describeOne(el: Element, isTarget: boolean, opts: DescribeOptions): WireElement {
  const tag = el.localName
  const d: WireElement = { tag: tag.slice(0, 64) }
  if (el.id) d.id = el.id.slice(0, 200)
  // getAttribute, not className: on SVG elements className is an object.
  const cls = el.getAttribute('class')
  if (cls) {
    const classes = cls.split(/\s+/).filter(Boolean).slice(0, MAX_CLASSES).map((c) => c.slice(0, 128))
    if (classes.length) d.classes = classes
  }
  let attrs: Record<string, string> | undefined
  const list = el.attributes
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!
    const n = a.name
    // data-feature travels once, as the event's feature key.
    if (n.length > 64 || n === FEATURE_ATTR || (n.startsWith('data-') ? n.startsWith('data-tenure-') : !KEPT_ATTRS.has(n))) continue
    const v = n === 'href' ? hrefValue(a.value, opts.sanitize) : a.value ? cleanText(a.value, 512) : ''
    if (v !== undefined) (attrs ??= {})[n] = v
  }
  if (attrs) d.attrs = attrs
  let nth = 1
  for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (s.localName === tag) nth++
  d.nth = Math.min(nth, 65_535)
  if (!opts.maskAllText && !hasUserText(el)) {
    // A button's or link's label is all the text inside it ("Clear completed (3)" with the count in
    // a span); other elements keep their own text, and a target without any gets its subtree's.
    let raw = isLabelled(el) ? subtreeText(el, skipSubtree) : ownText(el)
    if (isTarget && !raw.trim()) raw = subtreeText(el, skipSubtree)
    const text = cleanText(raw)
    if (text) d.text = text
  }
  return d
}

const LABELLED_TAGS = new Set(['a', 'button', 'summary'])
const LABELLED_ROLES = new Set(['button', 'link', 'tab', 'menuitem', 'option'])

/** Buttons and links, whose visible label is the text of their whole subtree. */
function isLabelled(el: Element): boolean {
  return LABELLED_TAGS.has(el.localName) || LABELLED_ROLES.has(el.getAttribute('role') || '')
}

/** Web links keep their sanitised URL; other schemes (mailto:, tel:, javascript:) keep only the scheme. */
function hrefValue(raw: string, sanitize: Sanitize): string | undefined {
  const url = sanitize(raw)
  if (!url) return undefined
  return /^https?:/i.test(url) ? url.slice(0, 512) : url.slice(0, url.indexOf(':') + 1)
}
