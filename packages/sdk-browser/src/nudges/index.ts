/**
 * The nudge chunk (`tenure-nudges.js`), loaded by the core only when the collector says the
 * project has an active nudge. It registers through the snippet queue, which works whether the
 * core has started yet or not.
 */
import { nudgePlugin } from './plugin.js'

const w = window as unknown as { tenure?: { push(call: unknown): void } | unknown[]; __tenureNudges?: boolean }
if (!w.__tenureNudges) {
  w.__tenureNudges = true
  ;(w.tenure = w.tenure || []).push(['use', nudgePlugin()])
}
