import { gunzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Tenure } from './client.js'
import type { WireEvent } from './types.js'

interface Req {
  url: string
  body: { write_key: string; events: WireEvent[] }
}

let requests: Req[]
const w = window as unknown as { tenure?: unknown }

async function text(body: unknown): Promise<string> {
  if (typeof body === 'string') return body
  const bytes = Buffer.from(await (body as Blob).arrayBuffer())
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8')
}

beforeEach(() => {
  vi.resetModules()
  localStorage.clear()
  requests = []
  delete w.tenure
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    requests.push({ url, body: JSON.parse(await text(init.body)) })
    return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } })
  })
})
afterEach(() => {
  ;(w.tenure as Tenure | undefined)?.optOut?.()
  document.head.innerHTML = ''
  vi.unstubAllGlobals()
})

const tag = (attrs: string) => {
  // An inert type: the test environment must not try to fetch it.
  document.head.innerHTML = `<script type="text/x-inert" src="https://cdn.example/sdk/tenure.js" ${attrs}></script>`
}

describe('script-tag loader', () => {
  it('configures itself from its tag and replays calls queued by the snippet', async () => {
    tag('data-key="wk_tag" data-host="https://collect.example"')
    w.tenure = [['track', 'early', { a: 1 }], ['identify', 'user-1']]
    await import('./loader.js')
    const api = w.tenure as Tenure
    expect(typeof api.track).toBe('function')
    api.track('after load')
    await api.flush()
    expect(requests.map((r) => r.url)).toEqual(['https://collect.example/v1/batch'])
    expect(requests[0]!.body.write_key).toBe('wk_tag')
    expect(requests[0]!.body.events.map((e) => e.event)).toEqual(['$pageview', 'early', '$identify', 'after load'])
  })

  it('takes the host from its own src when the tag names none', async () => {
    tag('data-key="wk_tag"')
    await import('./loader.js')
    await (w.tenure as Tenure).flush()
    expect(requests[0]!.url).toBe('https://cdn.example/v1/batch')
  })

  it('lets an init in the snippet queue override the tag, field by field', async () => {
    tag('data-key="wk_tag" data-pageviews="false"')
    w.tenure = [['track', 'queued'], ['init', { key: 'wk_snippet', host: 'https://other.example' }]]
    await import('./loader.js')
    await (w.tenure as Tenure).flush()
    expect(requests[0]!.url).toBe('https://other.example/v1/batch')
    expect(requests[0]!.body.write_key).toBe('wk_snippet')
    expect(requests[0]!.body.events.map((e) => e.event)).toEqual(['queued'])
  })

  it('reads privacy options from the tag', async () => {
    tag('data-key="wk_tag" data-consent="required"')
    await import('./loader.js')
    const api = w.tenure as Tenure
    api.track('before consent')
    await api.flush()
    expect(requests).toEqual([])
    api.optIn()
    api.track('after consent')
    await api.flush()
    expect(requests[0]!.body.events.map((e) => e.event)).toEqual(['$pageview', 'after consent'])
  })

  it('waits for init when the tag has no key, and accepts later pushes', async () => {
    tag('')
    await import('./loader.js')
    const api = w.tenure as Tenure
    api.push(['track', 'pushed'])
    api.init({ key: 'wk_late', host: 'https://c.example', pageviews: false })
    await api.flush()
    expect(requests[0]!.body.events.map((e) => e.event)).toEqual(['pushed'])
  })

  it('does nothing when loaded twice', async () => {
    tag('data-key="wk_tag"')
    await import('./loader.js')
    const first = w.tenure
    vi.resetModules()
    await import('./loader.js')
    expect(w.tenure).toBe(first)
  })
})
