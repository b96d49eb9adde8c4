import { afterEach, describe, expect, it, vi } from 'vitest'
import { memoryKV } from '../storage.js'
import type { Ids, PluginApi, Properties } from '../types.js'
import { isHeldOut } from './hash.js'
import { NudgeMemories } from './memory.js'
import { nudgePlugin } from './plugin.js'
import type { NudgeSpec } from './types.js'

const spec = (over: Partial<NudgeSpec> = {}): NudgeSpec => ({
  id: 'n_export',
  pages: [],
  placement: { type: 'tooltip', selector: '#export', side: 'bottom', fallback: 'none' },
  copy: { body: 'Send this report to a spreadsheet.' },
  frequency: { maxShows: 3, minHoursBetween: 24 },
  holdoutShare: 0.5,
  ...over,
})
const users = Array.from({ length: 200 }, (_, i) => `user-${i}`)
const SHOWN = users.find((u) => !isHeldOut(u, 'n_export', 0.5))!
const HELD = users.find((u) => isHeldOut(u, 'n_export', 0.5))!

interface Page {
  tracked: [string, Properties | undefined][]
  urls: string[]
  stop(): void
}
const pages: Page[] = []

/** One page load: a fresh plugin over the same browser memory. */
function load(o: { user: string; nudges: NudgeSpec[]; eligible?: string[]; memories: NudgeMemories }): Page {
  let live = true
  const page: Page = { tracked: [], urls: [], stop: () => (live = false) }
  const ids: Ids = { anonymousId: `anon-${o.user}`, userId: o.user, accountId: null }
  const api: PluginApi = {
    track: (event, properties) => void page.tracked.push([event, properties]),
    getIds: () => (live ? ids : { anonymousId: '', userId: null, accountId: null }),
    config: { key: 'wk_test', host: 'https://collect.example' },
  }
  const fetch = async (url: string) => {
    page.urls.push(url)
    const body = url.includes('/active') ? { nudges: o.nudges } : { eligible: o.eligible ?? o.nudges.map((n) => n.id) }
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  }
  nudgePlugin({ fetch, memories: o.memories, intervalMs: 20 })(api)
  pages.push(page)
  return page
}

const shown = () => document.querySelector('tenure-nudge')
const events = (p: Page) => p.tracked.map(([e]) => e)
const settle = () => new Promise((r) => setTimeout(r, 120))

afterEach(() => {
  for (const p of pages.splice(0)) p.stop()
  document.body.innerHTML = ''
})

describe('nudge plugin', () => {
  it('shows an eligible user the tooltip once, records it, and never again after dismissal', async () => {
    document.body.innerHTML = '<button id="export">Export</button>'
    const memories = new NudgeMemories(memoryKV())
    const first = load({ user: SHOWN, nudges: [spec()], memories })
    await vi.waitFor(() => expect(shown()).not.toBeNull())
    expect(shown()!.shadowRoot!.textContent).toContain('Send this report to a spreadsheet.')
    expect(first.tracked).toEqual([['$nudge_shown', { nudge_id: 'n_export', placement: 'tooltip' }]])
    expect(first.urls).toEqual([
      'https://collect.example/v1/nudges/active?write_key=wk_test',
      `https://collect.example/v1/nudges/eligibility?write_key=wk_test&anonymous_id=anon-${SHOWN}&user_id=${SHOWN}`,
    ])
    ;(shown()!.shadowRoot!.querySelector('.x') as HTMLButtonElement).click()
    expect(shown()).toBeNull()
    expect(events(first)).toEqual(['$nudge_shown', '$nudge_dismissed'])
    first.stop()
    // Reload, even past the frequency interval: gone for good.
    const second = load({ user: SHOWN, nudges: [spec({ frequency: { maxShows: 5, minHoursBetween: 0 } })], memories })
    await settle()
    expect(shown()).toBeNull()
    expect(second.tracked).toEqual([])
  })

  it('records a held-out user once across reloads and shows nothing', async () => {
    document.body.innerHTML = '<button id="export">Export</button>'
    const memories = new NudgeMemories(memoryKV())
    const first = load({ user: HELD, nudges: [spec()], memories })
    await vi.waitFor(() => expect(first.tracked).toEqual([['$nudge_held_out', { nudge_id: 'n_export' }]]))
    await settle()
    expect(shown()).toBeNull()
    first.stop()
    const second = load({ user: HELD, nudges: [spec()], memories })
    await settle()
    expect(second.tracked).toEqual([])
    expect(shown()).toBeNull()
  })

  it('shows nothing to a user the collector finds ineligible, and asks nothing when no nudge is active', async () => {
    document.body.innerHTML = '<button id="export">Export</button>'
    const p = load({ user: SHOWN, nudges: [spec()], eligible: [], memories: new NudgeMemories(memoryKV()) })
    await settle()
    expect(shown()).toBeNull()
    expect(p.tracked).toEqual([])
    const none = load({ user: SHOWN, nudges: [], memories: new NudgeMemories(memoryKV()) })
    await settle()
    expect(none.urls).toEqual(['https://collect.example/v1/nudges/active?write_key=wk_test'])
  })

  it('waits for a late anchor, and falls back to a banner when configured', async () => {
    const p = load({ user: SHOWN, nudges: [spec()], memories: new NudgeMemories(memoryKV()) })
    await settle()
    expect(shown()).toBeNull()
    expect(p.tracked).toEqual([])
    document.body.innerHTML = '<button id="export">Export</button>'
    await vi.waitFor(() => expect(shown()).not.toBeNull())
    p.stop()
    document.body.innerHTML = ''
    const banner = load({ user: SHOWN, nudges: [spec({ placement: { type: 'tooltip', selector: '#nowhere', side: 'bottom', fallback: 'banner' } })], memories: new NudgeMemories(memoryKV()) })
    await vi.waitFor(() => expect(shown()).not.toBeNull())
    expect(shown()!.shadowRoot!.querySelector('.n')!.className).toBe('n banner bottom')
    expect(banner.tracked).toEqual([['$nudge_shown', { nudge_id: 'n_export', placement: 'banner' }]])
  })

  it('stops showing once the anchored feature is clicked, and after a call-to-action click', async () => {
    document.body.innerHTML = '<button id="export">Export</button>'
    const memories = new NudgeMemories(memoryKV())
    const p = load({ user: SHOWN, nudges: [spec({ frequency: { maxShows: 9, minHoursBetween: 0 } })], memories })
    await vi.waitFor(() => expect(shown()).not.toBeNull())
    document.getElementById('export')!.click()
    expect(shown()).toBeNull()
    expect(memories.get(`anon-${SHOWN}`, 'n_export')).toMatchObject({ u: 1, s: 1, a: 's' })
    p.stop()
    load({ user: SHOWN, nudges: [spec({ frequency: { maxShows: 9, minHoursBetween: 0 } })], memories })
    await settle()
    expect(shown()).toBeNull()

    const other = new NudgeMemories(memoryKV())
    const q = load({ user: SHOWN, nudges: [spec({ copy: { body: 'x', cta: { label: 'Show me' } } })], memories: other })
    await vi.waitFor(() => expect(shown()).not.toBeNull())
    ;(shown()!.shadowRoot!.querySelector('.c') as HTMLButtonElement).click()
    expect(events(q)).toEqual(['$nudge_shown', '$nudge_clicked'])
    expect(shown()).toBeNull()
  })

  it('removes the nudge when the user opts out', async () => {
    document.body.innerHTML = '<button id="export">Export</button>'
    const p = load({ user: SHOWN, nudges: [spec()], memories: new NudgeMemories(memoryKV()) })
    await vi.waitFor(() => expect(shown()).not.toBeNull())
    p.stop()
    await vi.waitFor(() => expect(shown()).toBeNull())
  })
})
