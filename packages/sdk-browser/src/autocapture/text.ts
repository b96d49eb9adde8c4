/** 13–19 digits, optionally split by single spaces or dashes: a payment card number. */
const CARD_LIKE = /(?:\d[ -]?){12,18}\d/
/** 123-45-6789 or 123 45 6789: a US social security number. */
const SSN_LIKE = /\b\d{3}([- ])\d{2}\1\d{4}\b/
/** Element text is a label, not content: a short prefix is enough to tell buttons apart. */
export const MAX_TEXT = 100

/** Collapses whitespace, trims, caps; drops the whole text when any part looks like a card number or SSN. */
export function cleanText(raw: string | null | undefined, max: number = MAX_TEXT): string | undefined {
  if (!raw) return undefined
  // The check runs on more than is kept, so a number straddling the cut is still seen.
  const t = raw.slice(0, max * 4).replace(/\s+/g, ' ').trim()
  if (!t || CARD_LIKE.test(t) || SSN_LIKE.test(t)) return undefined
  return t.length > max ? t.slice(0, max).trimEnd() : t
}

/** Text of the element's own text nodes, not its descendants'. */
export function ownText(el: Element): string {
  let s = ''
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3) s += n.nodeValue
  return s
}

/**
 * Text of the subtree in document order, skipping subtrees that are masked or not to be captured
 * and fields; stops once `limit` characters are gathered. For a button whose label sits in a span.
 */
export function subtreeText(el: Element, skip: (el: Element) => boolean, limit: number = MAX_TEXT * 2): string {
  let s = ''
  const walk = (node: Node): void => {
    for (let n = node.firstChild; n && s.length < limit; n = n.nextSibling) {
      if (n.nodeType === 3) s += n.nodeValue + ' '
      else if (n.nodeType === 1 && !skip(n as Element)) walk(n)
    }
  }
  walk(el)
  return s
}
