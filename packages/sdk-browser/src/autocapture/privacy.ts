/** On an element: neither it nor anything inside it produces events. */
export const NO_CAPTURE_ATTR = 'data-tenure-no-capture'
/** On an element: events keep their structure, but no text from it or inside it. */
export const MASK_ATTR = 'data-tenure-mask'

const FIELDS = new Set(['input', 'textarea', 'select'])
/** Names, ids and autocomplete tokens of fields whose mere interaction is sensitive. */
const SENSITIVE_FIELD = /pass|pwd|card|cc-|cvv|cvc|csc|ssn|social.?sec|secret|iban|one-time|\bpin\b/i
/** Elements whose text is typed or chosen by the user, or is not visible text at all. */
const NO_TEXT = new Set(['input', 'textarea', 'select', 'option', 'script', 'style', 'template', 'noscript'])

export const isField = (el: Element): boolean => FIELDS.has(el.localName)

/** Password and hidden fields, and fields named like card numbers, CVVs, SSNs or passwords: no events at all. */
export function isSensitiveField(el: Element): boolean {
  if (!isField(el)) return false
  const type = (el.getAttribute('type') || '').toLowerCase()
  if (type === 'password' || type === 'hidden') return true
  return SENSITIVE_FIELD.test(`${el.getAttribute('name') || ''} ${el.id} ${el.getAttribute('autocomplete') || ''}`)
}

/** An editable region: whatever text is inside was typed by the user. */
export function isEditable(el: Element): boolean {
  const v = el.getAttribute('contenteditable')
  return v !== null && v !== 'false'
}

/** Never read text from fields (a textarea's text is its value) or editable regions. */
export function hasUserText(el: Element): boolean {
  return NO_TEXT.has(el.localName) || isEditable(el)
}

/** Text of this element and everything inside it is withheld. */
export function masksText(el: Element): boolean {
  return el.hasAttribute(MASK_ATTR) || isEditable(el)
}

/** For subtree text: skip what is masked, excluded, or user-typed. */
export function skipSubtree(el: Element): boolean {
  return masksText(el) || el.hasAttribute(NO_CAPTURE_ATTR) || hasUserText(el)
}
