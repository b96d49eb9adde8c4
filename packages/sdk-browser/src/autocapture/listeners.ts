import type { Properties } from '../types.js'
import type { Sanitize } from '../url.js'
import { describeElement, type Description } from './describe.js'
import { interactiveTarget } from './interactive.js'
import { isField, isSensitiveField } from './privacy.js'
import { rageDetector } from './rage.js'

export interface AutocaptureSink {
  (event: string, d: Description, properties?: Properties): void
}

export interface AutocaptureOptions {
  maskAllText: boolean
  sanitize: Sanitize
}

/** The innermost element of an event, inside open shadow roots (composedPath sees through them). */
function targetOf(e: Event): Element | null {
  const t = (e.composedPath?.()[0] ?? e.target) as Node | null
  if (!t) return null
  return t.nodeType === 1 ? (t as Element) : t.parentElement
}

/** A press longer than this (a drag, a long press) is described again at its click. */
const PRESS_MS = 5_000

/** Dispatched by a script, not caused by the person (`isTrusted` is false; environments without it count as trusted). */
const untrusted = (e: Event): boolean => e.isTrusted === false

/**
 * Listens on the document in the capture phase, so handlers that stop propagation cannot hide
 * actions. Returns a function that removes the listeners.
 */
export function startAutocapture(doc: Document, emit: AutocaptureSink, opts: AutocaptureOptions): () => void {
  const rage = rageDetector()
  let lastLabel: { label: Element; t: number } | null = null
  // The target as it was when pressed: some apps change a button on mouseup, before `click`.
  let pressed: { target: Element; d: Description | null; t: number } | null = null

  const onPointerDown = (e: Event) => {
    pressed = null
    if (untrusted(e)) return
    const raw = targetOf(e)
    const target = raw && interactiveTarget(raw)
    if (target && !isSensitiveField(target)) pressed = { target, d: describeElement(target, opts), t: e.timeStamp }
  }

  /**
   * The description taken at the press this click ends: on the same element, or on one the page
   * removed in between (re-rendered on mouseup). Undefined when the click must be described now.
   */
  const pressedDescription = (target: Element | null, t: number): Description | null | undefined => {
    const p = pressed
    pressed = null
    if (!p || !target || t - p.t > PRESS_MS) return undefined
    return p.target === target || !p.target.isConnected ? p.d : undefined
  }

  // A script's click (a framework ticking a hidden checkbox at load) is not the person's, nor are
  // the change or submit its default action fires while it is dispatched (those may be trusted).
  let scripted = false
  const byScript = (e: Event): boolean => scripted || untrusted(e)

  const onClick = (e: Event) => {
    if (untrusted(e)) {
      scripted = true
      void Promise.resolve().then(() => (scripted = false))
      return
    }
    const raw = targetOf(e)
    if (!raw) return
    const target = interactiveTarget(raw)
    if (rage(target ?? raw, e.timeStamp)) {
      const d = describeElement(target ?? raw, opts)
      if (d) emit('$rageclick', d)
    }
    const early = pressedDescription(target, e.timeStamp)
    if (!target || isSensitiveField(target)) return
    // A click on a label is replayed by the browser on its control: count the person's one click once.
    if (lastLabel && e.timeStamp - lastLabel.t < 100 && (lastLabel.label as HTMLLabelElement).control === target) {
      lastLabel = null
      return
    }
    lastLabel = target.localName === 'label' ? { label: target, t: e.timeStamp } : null
    const d = early === undefined ? describeElement(target, opts) : early
    if (d) emit('$click', d)
  }

  const onSubmit = (e: Event) => {
    if (byScript(e)) return
    const form = targetOf(e)
    if (!form) return
    const d = describeElement(form, opts)
    if (d) emit('$submit', d)
  }

  // `change` fires once per committed edit, not per keystroke; only the fact is recorded, never the value.
  const onChange = (e: Event) => {
    if (byScript(e)) return
    const field = targetOf(e)
    if (!field || !isField(field) || isSensitiveField(field)) return
    const d = describeElement(field, opts)
    if (d) emit('$change', d)
  }

  let stopped = false
  const guard = (fn: (e: Event) => void) => (e: Event) => {
    if (stopped) return
    try {
      fn(e)
    } catch {
      // Analytics must never break the page.
    }
  }
  const submit = guard(onSubmit)
  const change = guard(onChange)

  // `submit` and `change` are not composed: inside a shadow root they never reach the document.
  // Focus and clicks are, so they reveal each open root to listen on before a form inside is used.
  // Weak: components come and go; listeners on a dropped root die with it.
  const roots = new WeakSet<ShadowRoot>()
  const watchRoots = (e: Event) => {
    for (const n of e.composedPath?.() ?? []) {
      if ((n as Node).nodeType === 11 && (n as ShadowRoot).host && !roots.has(n as ShadowRoot)) {
        const root = n as ShadowRoot
        roots.add(root)
        root.addEventListener('submit', submit, true)
        root.addEventListener('change', change, true)
      }
    }
  }
  const click = guard((e) => {
    watchRoots(e)
    onClick(e)
  })
  const focus = guard(watchRoots)
  const down = guard(onPointerDown)

  const listeners: [string, (e: Event) => void][] = [
    ['pointerdown', down],
    ['click', click],
    ['focusin', focus],
    ['submit', submit],
    ['change', change],
  ]
  for (const [type, fn] of listeners) doc.addEventListener(type, fn, true)
  return () => {
    stopped = true
    for (const [type, fn] of listeners) doc.removeEventListener(type, fn, true)
  }
}
