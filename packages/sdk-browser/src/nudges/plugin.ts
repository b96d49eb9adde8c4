import type { Ids, Plugin, PluginApi } from '../types.js'
import { fetchActive, fetchEligible, type Fetch } from './api.js'
import { decide, pageMatches } from './decide.js'
import { NudgeMemories } from './memory.js'
import { renderNudge, type RenderedNudge } from './render.js'
import type { NudgeSpec } from './types.js'

export interface NudgeEnv {
  fetch?: Fetch
  memories?: NudgeMemories
  now?: () => number
  doc?: Document
  /** How often the page is looked at again (SPA navigation, anchors rendered late, layout). */
  intervalMs?: number
}

interface Showing {
  spec: NudgeSpec
  anchor: Element | null
  view: RenderedNudge
  unlisten(): void
}

const idsKey = (ids: Ids) => `${ids.anonymousId}|${ids.userId ?? ''}|${ids.accountId ?? ''}`

function find(doc: Document, selector: string): Element | null {
  try {
    return doc.querySelector(selector)
  } catch {
    return null
  }
}

/**
 * The nudge plugin: fetches the project's active nudges once, asks the collector which this user
 * may see, then shows at most one per page view where the browser's half of the rules allows
 * (decide.ts), records shown / held out / clicked / dismissed, and remembers dismissals.
 */
export function nudgePlugin(env: NudgeEnv = {}): Plugin {
  return (api) => {
    void start(api, env).catch(() => {
      // The host page never sees our errors.
    })
  }
}

async function start(api: PluginApi, env: NudgeEnv): Promise<void> {
  const f = env.fetch ?? ((u, i) => fetch(u, i))
  const doc = env.doc ?? document
  const win = doc.defaultView ?? window
  const now = env.now ?? Date.now
  const memories = env.memories ?? new NudgeMemories()
  const { host, key } = api.config
  const specs = await fetchActive(f, host, key)
  if (specs.length === 0) return

  let eligibleFor = ''
  let eligible: Promise<Set<string>> = Promise.resolve(new Set())
  let showing: Showing | null = null
  let path = ''
  let shownOnPage = false
  let busy = false

  const close = () => {
    showing?.unlisten()
    showing?.view.remove()
    showing = null
  }

  const show = (spec: NudgeSpec, anchor: Element | null, anon: string) => {
    const id = spec.id
    memories.update(anon, id, (m) => ({ ...m, a: 's', s: (m.s ?? 0) + 1, t: now() }))
    api.track('$nudge_shown', { nudge_id: id, placement: anchor ? 'tooltip' : 'banner' })
    const view = renderNudge(doc, spec, anchor, {
      dismiss() {
        memories.update(anon, id, (m) => ({ ...m, d: 1 }))
        api.track('$nudge_dismissed', { nudge_id: id })
        close()
      },
      cta() {
        memories.update(anon, id, (m) => ({ ...m, c: 1 }))
        api.track('$nudge_clicked', { nudge_id: id })
        close()
      },
    })
    // Clicking the element the tooltip points at is using the feature: never show it again here.
    const used = () => {
      memories.update(anon, id, (m) => ({ ...m, u: 1 }))
      close()
    }
    anchor?.addEventListener('click', used, true)
    showing = { spec, anchor, view, unlisten: () => anchor?.removeEventListener('click', used, true) }
    shownOnPage = true
  }

  const tick = async () => {
    const ids = api.getIds()
    if (!ids.anonymousId) return close() // opted out
    const anon = ids.anonymousId
    const here = win.location.pathname
    if (here !== path) {
      path = here
      shownOnPage = false
    }
    if (showing) {
      const m = memories.get(anon, showing.spec.id)
      const gone = showing.anchor ? !showing.anchor.isConnected : false
      if (gone || m.d || m.c || m.u || !pageMatches(showing.spec.pages, here)) close()
      else return showing.view.place()
    }
    if (shownOnPage) return
    const k = idsKey(ids)
    if (k !== eligibleFor) {
      eligibleFor = k
      eligible = fetchEligible(f, host, key, ids)
    }
    const allowed = await eligible
    if (showing || win.location.pathname !== here) return
    const userKey = ids.userId || anon
    for (const spec of specs) {
      const m = memories.get(anon, spec.id)
      const d = decide(spec, m, { eligible: allowed.has(spec.id), path: here, now: now(), userKey })
      if (d === 'skip') continue
      const p = spec.placement
      const anchor = p.type === 'tooltip' ? find(doc, p.selector) : null
      // Without its element (yet), a tooltip with no fallback waits; held-out users wait the same
      // way, so both arms are counted under the same conditions.
      if (p.type === 'tooltip' && !anchor && p.fallback === 'none') continue
      if (d === 'hold_out') {
        if (!m.h) {
          memories.update(anon, spec.id, (x) => ({ ...x, a: 'h', h: 1 }))
          api.track('$nudge_held_out', { nudge_id: spec.id })
        }
        continue
      }
      return show(spec, anchor, anon)
    }
  }

  const run = () => {
    if (busy) return
    busy = true
    tick()
      .catch(() => {})
      .finally(() => (busy = false))
  }
  win.addEventListener('popstate', run)
  win.addEventListener('hashchange', run)
  setInterval(run, env.intervalMs ?? 1000)
  run()
}
