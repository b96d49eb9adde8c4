import { UAParser } from 'ua-parser-js'
import { clip } from './sanitize.js'

/** Browser, OS and device of a user agent, as stored on each event ('' when unknown). */
export interface AgentInfo {
  browser: string
  browser_version: string
  os: string
  os_version: string
  device_type: string
}

export const NO_AGENT: AgentInfo = { browser: '', browser_version: '', os: '', os_version: '', device_type: '' }

const CACHE_SIZE = 2_000
const cache = new Map<string, AgentInfo>()

/**
 * Parses a user agent. A product's users share few distinct agents, so results are memoised
 * (bounded, oldest dropped first) and parsing costs nothing per event in steady state.
 */
export function parseAgent(ua: string | undefined): AgentInfo {
  if (!ua) return NO_AGENT
  const hit = cache.get(ua)
  if (hit) return hit
  const r = new UAParser(clip(ua, 512)).getResult()
  const info: AgentInfo = {
    browser: r.browser.name ?? '',
    browser_version: majorMinor(r.browser.version),
    os: r.os.name ?? '',
    os_version: r.os.version ?? '',
    // ua-parser leaves desktop devices untyped.
    device_type: r.device.type ?? (r.os.name || r.browser.name ? 'desktop' : ''),
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!)
  cache.set(ua, info)
  return info
}

/** '124.0.6367.91' → '124.0': enough to group by, and low cardinality. */
function majorMinor(v: string | undefined): string {
  if (!v) return ''
  return v.split('.').slice(0, 2).join('.')
}
