import { safeHref } from './link.js'
import type { NudgeSpec } from './types.js'

export interface RenderedNudge {
  host: HTMLElement
  /** Follows the anchor after scrolling, resizing or layout changes. */
  place(): void
  remove(): void
}

export interface NudgeActions {
  dismiss(): void
  cta(): void
}

const GAP = 8
const MARGIN = 8

// The host is out of the page's flow and immune to its styles: fixed, zero-sized, every property
// reset with !important (inline !important beats any rule of the page). The nudge lives in its
// shadow root, so the page's selectors never reach it and its styles never leak out.
const HOST_STYLE =
  'all:initial!important;position:fixed!important;top:0!important;left:0!important;width:0!important;height:0!important;' +
  'margin:0!important;padding:0!important;border:0!important;z-index:2147483647!important;display:block!important'

const CSS = `
.n{position:fixed;box-sizing:border-box;max-width:min(340px,calc(100vw - 16px));padding:12px 36px 12px 14px;border-radius:8px;
background:#1f2937;color:#f9fafb;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:left;
box-shadow:0 6px 24px rgba(0,0,0,.25);white-space:pre-line;overflow-wrap:anywhere}
.n.banner{left:50%;transform:translateX(-50%);width:min(560px,calc(100vw - 16px));max-width:none}
.n.top{top:${MARGIN}px}.n.bottom{bottom:${MARGIN * 2}px}
.t{display:block;font-weight:600;margin:0 0 4px}
.b{margin:0}
.x{position:absolute;top:6px;right:6px;width:24px;height:24px;padding:0;border:0;border-radius:4px;background:transparent;color:inherit;
font:18px/24px system-ui,sans-serif;cursor:pointer;opacity:.8}
.x:hover,.x:focus-visible{opacity:1;background:rgba(255,255,255,.12)}
.c{display:inline-block;margin-top:8px;padding:4px 10px;border:0;border-radius:4px;background:#6366f1;color:#fff;font:inherit;
font-weight:600;text-decoration:none;cursor:pointer}`

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag)
  e.className = cls
  // Copy is text, never markup: whatever it holds is shown as typed.
  if (text !== undefined) e.textContent = text
  return e
}

/**
 * Draws a nudge: a tooltip beside `anchor`, or a banner when there is no anchor. Copy goes in as
 * text; the call to action is a link only to a safe URL (else a button).
 */
export function renderNudge(doc: Document, spec: NudgeSpec, anchor: Element | null, act: NudgeActions): RenderedNudge {
  const win = doc.defaultView ?? window
  const host = doc.createElement('tenure-nudge')
  host.setAttribute('style', HOST_STYLE)
  host.setAttribute('data-nudge-id', spec.id)
  const root = host.attachShadow({ mode: 'open' })
  const style = doc.createElement('style')
  style.textContent = CSS
  const p = spec.placement
  const side = p.type === 'tooltip' ? p.side : 'bottom'
  const box = el(doc, 'div', anchor ? 'n tooltip' : `n banner ${p.type === 'banner' ? p.position : 'bottom'}`)
  box.setAttribute('role', 'dialog')
  box.setAttribute('aria-label', spec.copy.title || spec.copy.body.slice(0, 80))
  const close = el(doc, 'button', 'x', '×')
  close.type = 'button'
  close.setAttribute('aria-label', 'Dismiss')
  close.addEventListener('click', () => act.dismiss())
  if (spec.copy.title) box.append(el(doc, 'strong', 't', spec.copy.title))
  box.append(el(doc, 'p', 'b', spec.copy.body), close)
  const cta = spec.copy.cta
  if (cta) {
    const href = safeHref(cta.url)
    const button = href ? el(doc, 'a', 'c', cta.label) : el(doc, 'button', 'c', cta.label)
    if (button instanceof HTMLAnchorElement) button.href = href!
    else (button as HTMLButtonElement).type = 'button'
    // A link navigates by itself after this runs; the event is queued and survives the navigation.
    button.addEventListener('click', () => act.cta())
    box.append(button)
  }
  root.append(style, box)

  const place = () => {
    if (!anchor) return
    const r = anchor.getBoundingClientRect()
    const w = box.offsetWidth
    const h = box.offsetHeight
    const vw = win.innerWidth
    const vh = win.innerHeight
    let top = side === 'top' ? r.top - h - GAP : side === 'bottom' ? r.bottom + GAP : r.top + r.height / 2 - h / 2
    let left = side === 'left' ? r.left - w - GAP : side === 'right' ? r.right + GAP : r.left + r.width / 2 - w / 2
    left = Math.max(MARGIN, Math.min(left, vw - w - MARGIN))
    top = Math.max(MARGIN, Math.min(top, vh - h - MARGIN))
    box.style.top = `${Math.round(top)}px`
    box.style.left = `${Math.round(left)}px`
  }
  let frame = 0
  const later = () => {
    if (!frame) frame = win.requestAnimationFrame(() => ((frame = 0), place()))
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') act.dismiss()
  }
  win.addEventListener('scroll', later, { capture: true, passive: true })
  win.addEventListener('resize', later, { passive: true })
  doc.addEventListener('keydown', onKey)
  ;(doc.body ?? doc.documentElement).appendChild(host)
  place()

  return {
    host,
    place,
    remove() {
      win.removeEventListener('scroll', later, { capture: true })
      win.removeEventListener('resize', later)
      doc.removeEventListener('keydown', onKey)
      if (frame) win.cancelAnimationFrame(frame)
      host.remove()
    },
  }
}
