import { afterEach, describe, expect, it, vi } from 'vitest'
import { safeHref } from './link.js'
import { renderNudge } from './render.js'
import type { NudgeSpec } from './types.js'

const XSS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '"><svg onload="window.__pwned=1">',
  '<a href="javascript:window.__pwned=1">click</a>',
]

const spec = (copy: NudgeSpec['copy'], placement: NudgeSpec['placement'] = { type: 'banner', position: 'bottom' }): NudgeSpec => ({
  id: 'n_x', pages: [], placement, copy, frequency: { maxShows: 3, minHoursBetween: 0 }, holdoutShare: 0,
})
const noop = { dismiss: () => {}, cta: () => {} }

afterEach(() => {
  document.body.innerHTML = ''
  delete (window as unknown as { __pwned?: number }).__pwned
})

describe('nudge rendering', () => {
  it('renders every XSS attempt in the copy as plain text', () => {
    for (const attack of XSS) {
      const r = renderNudge(document, spec({ title: attack, body: attack, cta: { label: attack } }), null, noop)
      const root = r.host.shadowRoot!
      expect(root.querySelector('.t')!.textContent).toBe(attack)
      expect(root.querySelector('.b')!.textContent).toBe(attack)
      expect(root.querySelector('.c')!.textContent).toBe(attack)
      expect(root.querySelectorAll('img, script, svg, a').length).toBe(0)
      expect(root.querySelector('.b')!.children.length).toBe(0)
      r.remove()
    }
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
    expect(document.querySelector('img, svg')).toBeNull()
  })

  it('links the call to action only to http(s) or same-site URLs', () => {
    expect(safeHref('https://docs.example.com/x?a=1')).toBe('https://docs.example.com/x?a=1')
    expect(safeHref('/reports?tour=1')).toBe('/reports?tour=1')
    expect(safeHref('#export')).toBe('#export')
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<b>x</b>', '//evil.example', '/\\evil.example', 'vbscript:x', 'not a url']) {
      expect(safeHref(bad), bad).toBeNull()
    }
    const bad = renderNudge(document, spec({ body: 'x', cta: { label: 'Go', url: 'javascript:alert(1)' } }), null, noop)
    expect(bad.host.shadowRoot!.querySelector('a')).toBeNull()
    expect(bad.host.shadowRoot!.querySelector('button.c')).not.toBeNull()
    const good = renderNudge(document, spec({ body: 'x', cta: { label: 'Go', url: '/reports' } }), null, noop)
    expect(good.host.shadowRoot!.querySelector('a.c')!.getAttribute('href')).toBe('/reports')
  })

  it('keeps out of the page: a fixed, zero-sized host with every style reset, content in its shadow root', () => {
    document.body.innerHTML = '<style>* { color: red } div { margin: 50px }</style><p id="x">page</p>'
    const r = renderNudge(document, spec({ body: 'Hello' }), null, noop)
    const style = r.host.getAttribute('style')!
    for (const rule of ['all:initial!important', 'position:fixed!important', 'width:0!important', 'height:0!important']) expect(style).toContain(rule)
    expect(r.host.shadowRoot!.querySelector('style')).not.toBeNull()
    expect(document.body.lastElementChild).toBe(r.host)
    expect(document.querySelector('.b')).toBeNull()
    r.remove()
    expect(document.querySelector('tenure-nudge')).toBeNull()
  })

  it('calls dismiss from the close button and Escape, cta from the call to action', () => {
    const dismiss = vi.fn()
    const cta = vi.fn()
    const r = renderNudge(document, spec({ body: 'x', cta: { label: 'Go' } }), null, { dismiss, cta })
    ;(r.host.shadowRoot!.querySelector('.x') as HTMLButtonElement).click()
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    ;(r.host.shadowRoot!.querySelector('.c') as HTMLButtonElement).click()
    expect(dismiss).toHaveBeenCalledTimes(2)
    expect(cta).toHaveBeenCalledTimes(1)
    r.remove()
  })

  it('places a tooltip below its anchor', () => {
    document.body.innerHTML = '<button id="export">Export</button>'
    const anchor = document.getElementById('export')!
    anchor.getBoundingClientRect = () => ({ top: 100, bottom: 130, left: 200, right: 300, width: 100, height: 30, x: 200, y: 100, toJSON: () => ({}) })
    const r = renderNudge(document, spec({ body: 'x' }, { type: 'tooltip', selector: '#export', side: 'bottom', fallback: 'banner' }), anchor, noop)
    const box = r.host.shadowRoot!.querySelector('.n') as HTMLElement
    expect(box.className).toBe('n tooltip')
    expect(box.style.top).toBe('138px')
    r.remove()
  })
})
