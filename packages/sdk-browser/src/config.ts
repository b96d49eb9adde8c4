import type { InitOptions } from './types.js'

export interface Config {
  key: string
  host: string
  autocapture: boolean
  pageviews: boolean
  requireConsent: boolean
  maskAllText: boolean
  stripParams: string[]
  flushInterval: number
  flushAt: number
  maxQueueEvents: number
  maxQueueBytes: number
  nudges: boolean
  assetBase: string
}

const num = (v: unknown, dflt: number, min: number, max: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : dflt

/** Options with defaults filled in and out-of-range numbers clamped; null without a write key. */
export function resolveConfig(o: InitOptions): Config | null {
  if (!o || typeof o.key !== 'string' || !o.key) return null
  return {
    key: o.key,
    host: (o.host || '').replace(/\/+$/, ''),
    autocapture: o.autocapture !== false,
    pageviews: o.pageviews !== false,
    requireConsent: o.requireConsent === true,
    maskAllText: o.maskAllText === true,
    stripParams: Array.isArray(o.stripParams) ? o.stripParams.filter((s) => typeof s === 'string') : [],
    flushInterval: num(o.flushInterval, 5000, 250, 600_000),
    flushAt: num(o.flushAt, 20, 1, 500),
    maxQueueEvents: num(o.maxQueueEvents, 1000, 10, 10_000),
    // localStorage holds about 5 MB per site, shared with the site itself.
    maxQueueBytes: num(o.maxQueueBytes, 512_000, 10_000, 2_000_000),
    nudges: o.nudges === true,
    assetBase: o.assetBase || '',
  }
}
