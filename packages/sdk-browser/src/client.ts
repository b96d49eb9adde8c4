import { startAutocapture } from './autocapture/listeners.js'
import type { Description } from './autocapture/describe.js'
import { resolveConfig, type Config } from './config.js'
import { Consent } from './consent.js'
import { Delivery } from './delivery.js'
import { Identity } from './identity.js'
import { startNavigation, type Navigation, type Page } from './navigation.js'
import { loadChunk, Plugins } from './plugins.js'
import { fitEvent } from './queue/batch.js'
import { PersistedQueue } from './queue/persisted.js'
import { browserKV, type KV } from './storage.js'
import { httpTransport, type Transport } from './transport.js'
import type { Ids, InitOptions, Plugin, Properties, WireEvent } from './types.js'
import { urlSanitizer, type Sanitize } from './url.js'
import { uuidv7 } from './uuidv7.js'

export interface Tenure {
  init(options: InitOptions): void
  track(event: string, properties?: Properties): void
  identify(userId: string, traits?: Properties): void
  group(accountId: string, traits?: Properties): void
  reset(): void
  optIn(): void
  optOut(): void
  /** Sends what is queued now; resolves when done (never rejects). */
  flush(): Promise<void>
  use(plugin: Plugin): void
  /** Snippet-queue form of every call: `push(['track', 'Exported', { rows: 3 }])`. */
  push(call: unknown): void
}

/** Seams for tests; browsers use the defaults. */
export interface ClientEnv {
  kv?: () => KV
  transport?: (url: string) => Transport
}

interface Running {
  identity: Identity
  queue: PersistedQueue
  delivery: Delivery
  /** Persists queued events soon, off the path of the user's action. */
  commitSoon(): void
  /** Sends soon, in a task of its own. */
  flushSoon(): void
  stop(): void
}

type Extra = Partial<Description> & { page?: Page }

const MAX_EARLY_CALLS = 100

/**
 * The client: one object per page. Nothing touches the page before `init`, and nothing is
 * stored or captured without consent. Every public method swallows its own errors.
 */
export function createTenure(env: ClientEnv = {}): Tenure {
  let config: Config | null = null
  let kv: KV
  let consent: Consent
  let sanitize: Sanitize
  let run: Running | null = null
  const early: [keyof Tenure, unknown[]][] = []
  const plugins = new Plugins()

  const capture = (event: string, properties?: Properties, extra: Extra = {}): void => {
    if (!run || !config) return
    const now = Date.now()
    const ids = run.identity.get()
    const e: WireEvent = {
      uuid: uuidv7(now),
      event,
      timestamp: now,
      anonymous_id: ids.anonymousId,
      session_id: run.identity.session(now),
    }
    if (ids.userId) e.user_id = ids.userId
    if (ids.accountId) e.account_id = ids.accountId
    const url = sanitize(extra.page?.url ?? location.href)
    if (url) e.url = url
    const referrer = document.referrer && sanitize(document.referrer)
    if (referrer) e.referrer = referrer
    const title = (extra.page?.title ?? document.title).slice(0, 512)
    if (title) e.title = title
    if (extra.featureKey) e.feature_key = extra.featureKey
    if (extra.elements) e.elements = extra.elements
    if (properties && typeof properties === 'object' && Object.keys(properties).length) e.properties = { ...properties }
    const fitted = fitEvent(e)
    if (!fitted) return
    // Never stored or sent inside the caller (often a click listener): both wait for a task of their own.
    if (run.queue.push([fitted]) >= config.flushAt) run.flushSoon()
    else run.commitSoon()
  }

  const start = (c: Config): void => {
    const identity = new Identity(kv, () => uuidv7())
    const queue = new PersistedQueue(kv, `tenure_queue_${c.key}`, { maxEvents: c.maxQueueEvents, maxBytes: c.maxQueueBytes })
    let wakeTimer: ReturnType<typeof setTimeout> | undefined
    const delivery = new Delivery({
      queue,
      transport: (env.transport ?? httpTransport)(`${c.host}/v1/batch`),
      writeKey: c.key,
      now: Date.now,
      random: Math.random,
      online: () => navigator.onLine !== false,
      wake(ms) {
        clearTimeout(wakeTimer)
        wakeTimer = setTimeout(() => void delivery.flush(), ms)
      },
      onAnswer(json) {
        // The collector asks for the nudge chunk when the project has active nudges.
        if ((json as { nudges?: unknown } | null)?.nudges === true) loadChunk(c.assetBase, 'nudges')
      },
    })
    let committing = false
    const commitSoon = () => {
      if (committing) return
      committing = true
      const commit = () => {
        committing = false
        queue.commit()
      }
      // Within a second at worst; hiding the page commits at once (flushOnExit).
      if (typeof requestIdleCallback === 'function') requestIdleCallback(commit, { timeout: 1000 })
      else setTimeout(commit, 250)
    }
    let flushTimer: ReturnType<typeof setTimeout> | undefined
    const flushSoon = () => {
      flushTimer ??= setTimeout(() => {
        flushTimer = undefined
        void delivery.flush()
      }, 0)
    }
    run = { identity, queue, delivery, commitSoon, flushSoon, stop: () => {} }

    const nav: Navigation | null = c.pageviews
      ? startNavigation(window, {
          pageview: (page) => capture('$pageview', undefined, { page }),
          pageleave: (page, props) => capture('$pageleave', props, { page }),
        })
      : null
    const stopAuto = c.autocapture
      ? startAutocapture(document, (event, d) => capture(event, undefined, d), { maskAllText: c.maskAllText, sanitize })
      : null

    const onOnline = () => void delivery.resume()
    const onHidden = () => {
      if (document.visibilityState === 'hidden') delivery.flushOnExit()
    }
    const onPageHide = () => {
      nav?.exit()
      delivery.flushOnExit()
    }
    addEventListener('online', onOnline)
    addEventListener('pagehide', onPageHide)
    document.addEventListener('visibilitychange', onHidden)
    const interval = setInterval(() => void delivery.flush(), c.flushInterval)
    // Events left by earlier pages go out right away.
    const first = setTimeout(() => void delivery.flush(), 0)

    run.stop = () => {
      nav?.stop()
      stopAuto?.()
      removeEventListener('online', onOnline)
      removeEventListener('pagehide', onPageHide)
      document.removeEventListener('visibilitychange', onHidden)
      clearInterval(interval)
      clearTimeout(first)
      clearTimeout(wakeTimer)
      clearTimeout(flushTimer)
      plugins.stop()
    }
    plugins.start({
      track: (event, properties) => api.track(event, properties),
      getIds: (): Ids => run?.identity.get() ?? { anonymousId: '', userId: null, accountId: null },
      config: { key: c.key, host: c.host },
    })
    if (c.nudges) loadChunk(c.assetBase, 'nudges')
  }

  const validId = (id: unknown): id is string => typeof id === 'string' && id.trim().length > 0 && id.length <= 200
  const traits = (t: unknown): Properties | undefined => (t && typeof t === 'object' && !Array.isArray(t) ? (t as Properties) : undefined)

  const methods = {
    init(options: InitOptions) {
      if (config) return
      const c = resolveConfig(options)
      if (!c) return
      config = c
      kv = (env.kv ?? browserKV)()
      consent = new Consent(kv, c.requireConsent)
      sanitize = urlSanitizer(c.stripParams)
      if (consent.granted()) start(c)
      for (const [m, args] of early.splice(0)) (api[m] as (...a: unknown[]) => void)(...args)
    },
    track(event: string, properties?: Properties) {
      if (typeof event === 'string' && event && event.length <= 200) capture(event, traits(properties))
    },
    identify(userId: string, t?: Properties) {
      if (!run || !validId(userId)) return
      const current = run.identity.get().userId
      // Another person on this device without a reset in between: do not merge them.
      if (current && current !== userId) run.identity.reset()
      run.identity.setUser(userId)
      const props = traits(t)
      if (current !== userId || props) capture('$identify', props)
    },
    group(accountId: string, t?: Properties) {
      if (!run || !validId(accountId)) return
      const current = run.identity.get().accountId
      run.identity.setAccount(accountId)
      const props = traits(t)
      if (current !== accountId || props) capture('$group', props)
    },
    reset() {
      run?.identity.reset()
    },
    optIn() {
      if (!config) return
      consent.set(true)
      if (!run) start(config)
    },
    optOut() {
      if (!config) return
      consent.set(false)
      if (run) {
        run.stop()
        run.queue.clear()
        run.identity.forget()
        run = null
      }
    },
  }

  const api: Tenure = {
    flush: () => (run ? run.delivery.flush().catch(() => {}) : Promise.resolve()),
    use: (plugin) => plugins.use(plugin),
    push(call) {
      if (!Array.isArray(call) || typeof call[0] !== 'string') return
      const fn = (api as unknown as Record<string, unknown>)[call[0]]
      if (typeof fn === 'function' && call[0] !== 'push') guard(() => fn(...call.slice(1)))
    },
  } as Tenure
  for (const [name, fn] of Object.entries(methods)) {
    ;(api as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      guard(() => {
        // Calls before init wait for it (bounded), in order.
        if (!config && name !== 'init') {
          if (early.length < MAX_EARLY_CALLS) early.push([name as keyof Tenure, args])
          return
        }
        ;(fn as (...a: unknown[]) => void)(...args)
      })
  }
  return api
}

function guard(fn: () => void): void {
  try {
    fn()
  } catch {
    // The host page never sees our errors.
  }
}
