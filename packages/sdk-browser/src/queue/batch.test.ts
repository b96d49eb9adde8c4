import { describe, expect, it } from 'vitest'
import type { WireEvent } from '../types.js'
import { utf8Length } from './bytes.js'
import { envelopeBytes, fitEvent, serializeBatch } from './batch.js'
import { append, claim, emptyQueue } from './queue.js'

const ev = (i: number, text = ''): WireEvent => ({
  uuid: `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`,
  event: '$click',
  timestamp: 1_700_000_000_000 + i,
  anonymous_id: 'anon',
  elements: [{ tag: 'button', text }],
})

describe('utf8Length', () => {
  it('counts bytes of every UTF-8 width', () => {
    expect(utf8Length('abc')).toBe(3)
    expect(utf8Length('é')).toBe(2)
    expect(utf8Length('€')).toBe(3)
    expect(utf8Length('😀')).toBe(4)
    const s = 'a é € 😀 日本'
    expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length)
  })
})

describe('batch bytes', () => {
  it('envelope + event sizes + commas is exactly the body size', () => {
    const events = [ev(1, 'Save'), ev(2, 'Über'), ev(3, '保存 😀')]
    const sizes = events.map((e) => utf8Length(JSON.stringify(e)))
    const body = serializeBatch('wk_abc', 1_700_000_000_999, events)
    const predicted = envelopeBytes('wk_abc', 1_700_000_000_999) + sizes.reduce((a, b) => a + b) + events.length - 1
    expect(utf8Length(body)).toBe(predicted)
    expect(new TextEncoder().encode(body).length).toBe(predicted)
  })

  it('splits a large backlog into bodies that all stay under the limit', () => {
    const limit = 60_000
    const items = Array.from({ length: 400 }, (_, i) => {
      const e = ev(i, 'x'.repeat(50 + (i % 7) * 40) + '€')
      return { e, n: utf8Length(JSON.stringify(e)) }
    })
    let q = append(emptyQueue(), items, { maxEvents: 10_000, maxBytes: 1e9 })
    const sent: number[] = []
    const now = 1_700_000_000_000
    for (;;) {
      const r = claim(q, now, 60_000, { maxEvents: 500, maxBytes: limit, envelope: envelopeBytes('wk', now) })
      if (!r.batch.length) break
      q = r.q
      const body = serializeBatch('wk', now, r.batch.map((i) => i.e))
      sent.push(new TextEncoder().encode(body).length)
    }
    expect(sent.length).toBeGreaterThan(1)
    expect(Math.max(...sent)).toBeLessThanOrEqual(limit)
    // Every body but the last is nearly full: no needless small requests.
    for (const s of sent.slice(0, -1)) expect(s).toBeGreaterThan(limit - 400)
  })

  it('notes dropped events on the first event only', () => {
    const body = JSON.parse(serializeBatch('wk', 1, [ev(1), ev(2)], 7))
    expect(body.events[0].properties).toEqual({ $dropped: 7 })
    expect(body.events[1].properties).toBeUndefined()
  })
})

describe('fitEvent', () => {
  it('keeps small events untouched', () => {
    const e = ev(1, 'ok')
    expect(fitEvent(e)).toEqual({ e, n: utf8Length(JSON.stringify(e)) })
  })

  it('drops properties, then elements, of an oversized event', () => {
    const e = { ...ev(1), properties: { blob: 'x'.repeat(40_000) } }
    const fitted = fitEvent(e)!
    expect(fitted.e.properties).toEqual({ $truncated: true })
    expect(fitted.e.elements).toEqual(e.elements)
    const huge = { ...ev(2), elements: Array.from({ length: 64 }, () => ({ tag: 'div', text: 'y'.repeat(600) })) }
    expect(fitEvent(huge, 30_000)!.e.elements).toBeUndefined()
  })
})
