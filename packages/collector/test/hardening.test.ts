import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

// Issue 12, item 6: smaller defects found by the same probing.
let t: TestCollector
beforeAll(async () => {
  t = await startCollector({ env: { TENURE_TRUST_PROXY: '1' }, config: { rateLimit: { eventsPerSecond: 1e9, burst: 1e9 } } })
})
afterAll(() => t.cleanup())

const ORIGIN = 'http://localhost'
const FORMULA = "-1+cmd|' /C calc'!A0"
const login = (headers: Record<string, string> = {}) =>
  t.collector.app.request(`${ORIGIN}/app/login`, {
    method: 'POST',
    body: new URLSearchParams({ key: t.secretKey, next: '/app' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
  })

describe('CSV exports', () => {
  it('neutralise element text that starts like a number but is a formula', async () => {
    // Six people share the texts, so they are public (k = 5) and appear in plain in the export.
    const click = (i: number) => sdkEvent({ anonymous_id: `anon-${i}`, elements: [{ tag: 'button', text: FORMULA, nth: 0 }, { tag: 'div', text: '=SUM(A1)', nth: 1 }] })
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, Array.from({ length: 6 }, (_, i) => click(i))))).status).toBe(200)
    await t.collector.deps.ingest.flush()
    await t.collector.deps.texts.check()
    const cookie = (await login()).headers.get('set-cookie')!.split(';')[0]!
    const res = await t.collector.app.request(`${ORIGIN}/app/features?csv=suggestions`, { headers: { cookie } })
    expect(res.status).toBe(200)
    const csv = await res.text()
    expect(csv).toContain(`'${FORMULA}`)
    // No cell of any line starts with a formula character unless it is a plain number.
    for (const cell of csv.split(/\r\n/).flatMap((line) => line.split(','))) {
      const text = cell.replace(/^"/, '')
      if (/^[=+\-@\t\r]/.test(text)) expect(text).toMatch(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/)
    }
  })
})

describe('health report weights', () => {
  it.each(['1', '-1', '0x7f', '1,,2', 'Infinity'])('answers 400 naming weights for weights=%s', async (w) => {
    const res = await t.collector.app.request(`/v1/reports/health?weights=${encodeURIComponent(w)}`, { headers: { authorization: `Bearer ${t.secretKey}` } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('weights')
  })
})

describe('session cookie behind a trusted TLS proxy', () => {
  it('is Secure when X-Forwarded-Proto says https, and only then', async () => {
    const https = await login({ 'x-forwarded-proto': 'https' })
    expect(https.status).toBe(303)
    expect(https.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
    const plain = await login({ 'x-forwarded-proto': 'http' })
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/i)
  })
})
