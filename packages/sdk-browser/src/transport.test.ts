import { CompressionStream as NodeCompressionStream } from 'node:stream/web'
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { httpTransport } from './transport.js'

interface Call {
  url: string
  init: RequestInit
  text: string
  gzipped: boolean
}

const calls: Call[] = []

function stubFetch(answer: () => Response | Promise<Response>) {
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const body = init.body
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(await (body as Blob).arrayBuffer())
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b
    calls.push({ url, init, text: (gzipped ? gunzipSync(bytes) : bytes).toString('utf8'), gzipped })
    return answer()
  })
}

afterEach(() => {
  calls.length = 0
  vi.unstubAllGlobals()
})

describe('httpTransport', () => {
  it('posts small bodies as plain text with keepalive and no credentials', async () => {
    stubFetch(() => new Response('{"ok":true,"nudges":true}', { status: 200 }))
    const r = await httpTransport('https://c.example/v1/batch').send('{"a":1}')
    expect(r).toEqual({ status: 200, retryAfterMs: undefined, json: { ok: true, nudges: true } })
    expect(calls[0]).toMatchObject({ url: 'https://c.example/v1/batch', text: '{"a":1}', gzipped: false })
    expect(calls[0]!.init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'omit' })
    // No custom header: a CORS "simple" request, no preflight.
    expect(calls[0]!.init.headers).toBeUndefined()
  })

  it('gzips larger bodies where CompressionStream exists', async () => {
    // The test window may lack it; Node's is the same standard API.
    if (typeof CompressionStream !== 'function') vi.stubGlobal('CompressionStream', NodeCompressionStream)
    stubFetch(() => new Response('', { status: 200 }))
    const body = JSON.stringify({ events: Array.from({ length: 50 }, (_, i) => ({ i, text: 'Export report' })) })
    await httpTransport('https://c.example/v1/batch').send(body)
    expect(calls[0]!.gzipped).toBe(true)
    expect(calls[0]!.text).toBe(body)
  })

  it('reads Retry-After and reports network failures as status 0', async () => {
    stubFetch(() => new Response('{}', { status: 429, headers: { 'retry-after': '3' } }))
    expect(await httpTransport('https://c.example/v1/batch').send('{}')).toMatchObject({ status: 429, retryAfterMs: 3000 })
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')))
    expect(await httpTransport('https://c.example/v1/batch').send('{}')).toEqual({ status: 0 })
  })

  it('hands exit batches to sendBeacon and reports its refusal', () => {
    const sent: [string, unknown][] = []
    let accept = true
    Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: (u: string, b: unknown) => (sent.push([u, b]), accept) })
    const t = httpTransport('https://c.example/v1/batch')
    expect(t.beacon('{"x":1}')).toBe(true)
    accept = false
    expect(t.beacon('{"x":2}')).toBe(false)
    expect(sent).toEqual([
      ['https://c.example/v1/batch', '{"x":1}'],
      ['https://c.example/v1/batch', '{"x":2}'],
    ])
    delete (navigator as { sendBeacon?: unknown }).sendBeacon
  })
})
