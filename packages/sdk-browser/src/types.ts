/** One element of a chain as it crosses the wire (collector `ElementSchema`). */
export interface WireElement {
  tag: string
  id?: string
  classes?: string[]
  attrs?: Record<string, string>
  text?: string
  nth?: number
}

/** One event as it crosses the wire (collector `EventSchema`). */
export interface WireEvent {
  uuid: string
  event: string
  timestamp: number
  anonymous_id: string
  user_id?: string
  account_id?: string
  session_id?: string
  url?: string
  referrer?: string
  title?: string
  feature_key?: string
  elements?: WireElement[]
  properties?: Properties
}

export type Properties = Record<string, unknown>

export interface Ids {
  anonymousId: string
  userId: string | null
  accountId: string | null
}

/** Options of `init`. Only `key` is required; everything else has a privacy-first default. */
export interface InitOptions {
  /** The project's public write key. */
  key: string
  /** Collector base URL, e.g. `https://collect.example.com`. */
  host?: string
  /** Clicks, submits, changes, rage clicks (default true). */
  autocapture?: boolean
  /** Page views on load and SPA navigation, page leave (default true). */
  pageviews?: boolean
  /** Start opted out until `optIn()` (default false). */
  requireConsent?: boolean
  /** Never capture element text (default false). */
  maskAllText?: boolean
  /** Query parameters stripped from every URL, added to the built-in token names. */
  stripParams?: string[]
  /** Milliseconds between background flushes (default 5000). */
  flushInterval?: number
  /** Queue length that triggers a flush (default 20). */
  flushAt?: number
  /** Persisted queue bounds; the oldest events are dropped (and counted) beyond them. */
  maxQueueEvents?: number
  maxQueueBytes?: number
  /** Load the nudge chunk right away instead of waiting for the collector to ask for it. */
  nudges?: boolean
  /** Base URL of lazily loaded chunks (the script tag's folder when loaded by tag). */
  assetBase?: string
}

/** What a plugin (the lazily loaded nudge chunk) may use: a narrow view, never the whole client. */
export interface PluginApi {
  track(event: string, properties?: Properties): void
  getIds(): Ids
  config: Readonly<{ key: string; host: string }>
}

export type Plugin = (api: PluginApi) => void
