import { parentOf } from './describe.js'

const TAGS = new Set(['a', 'button', 'input', 'select', 'textarea', 'label', 'summary'])
const ROLES = new Set([
  'button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'checkbox', 'radio',
  'switch', 'option', 'treeitem', 'combobox', 'gridcell',
])

/** Interactive by markup: native controls, ARIA widget roles, inline click handlers. */
export function isInteractive(el: Element): boolean {
  return TAGS.has(el.localName) || ROLES.has(el.getAttribute('role') || '') || el.hasAttribute('onclick')
}

export type PointerTest = (el: Element) => boolean
const hasPointerCursor: PointerTest = (el) => getComputedStyle(el).cursor === 'pointer'

/**
 * The element a click is about: the nearest interactive element at or above the click target
 * (an icon inside a button is the button). Failing that, an element styled `cursor: pointer` —
 * since the cursor is inherited, the outermost of the unbroken run of pointer elements, which is
 * where the style was set. Null for clicks on plain content.
 */
export function interactiveTarget(start: Element, pointer: PointerTest = hasPointerCursor): Element | null {
  for (let el: Element | null = start; el && el.localName !== 'body'; el = parentOf(el)) {
    if (isInteractive(el)) return el
  }
  let found: Element | null = null
  for (let el: Element | null = start; el && el.localName !== 'body' && pointer(el); el = parentOf(el)) found = el
  return found
}
