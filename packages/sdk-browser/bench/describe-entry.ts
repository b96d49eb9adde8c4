// What a click costs the page before anything is queued: finding the element and describing its chain.
import { describeElement } from '../src/autocapture/describe.js'
import { interactiveTarget } from '../src/autocapture/interactive.js'
import { urlSanitizer } from '../src/url.js'

const opts = { maskAllText: false, sanitize: urlSanitizer() }

;(window as unknown as { describeClick: (el: Element) => unknown }).describeClick = (el) => {
  const target = interactiveTarget(el)
  return target && describeElement(target, opts)
}
