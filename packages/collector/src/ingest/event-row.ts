import type { ElementInput, EventInput } from '../schema/batch.js'
import { chTime, type ElementRow, type EventRow } from './rows.js'
import type { AgentInfo } from './ua.js'

/** What the collector knows about the request an event came in. */
export interface RowContext {
  projectId: string
  receivedAt: number
  /** `receivedAt` as ClickHouse text, when the caller formats it once for a whole batch. */
  receivedAtText?: string
  /** Milliseconds added to client timestamps (clock-skew correction; 0 for none). */
  skewMs: number
  lib: string
  agent: AgentInfo
  /** Already truncated, or ''. */
  ip: string
  /** The client's country (ISO 3166-1 alpha-2, looked up on the full IP), or '' (unknown, or IPs not stored). */
  country?: string
}

/**
 * One validated event → one `events` row. Pure; exported so simulators and bulk loaders build
 * exactly the rows the collector would. `clientMs` is the event's own timestamp in epoch ms.
 */
export function buildEventRow(e: EventInput, clientMs: number, ctx: RowContext): EventRow {
  const elements = (e.elements ?? []).map(elementRow)
  const { path, host } = splitUrl(e.url)
  return {
    project_id: ctx.projectId,
    uuid: e.uuid.toLowerCase(),
    event: e.event,
    timestamp: chTime(clientMs + ctx.skewMs),
    client_timestamp: chTime(clientMs),
    received_at: ctx.receivedAtText ?? chTime(ctx.receivedAt),
    anonymous_id: e.anonymous_id,
    user_id: e.user_id ?? '',
    account_id: e.account_id ?? '',
    session_id: e.session_id ?? '',
    url: e.url ?? '',
    path,
    host,
    referrer: e.referrer ?? '',
    title: e.title ?? '',
    feature_key: e.feature_key ?? '',
    element_text: elements[0]?.text ?? '',
    elements,
    properties: e.properties ? JSON.stringify(e.properties) : '{}',
    lib: ctx.lib,
    browser: ctx.agent.browser,
    browser_version: ctx.agent.browser_version,
    os: ctx.agent.os,
    os_version: ctx.agent.os_version,
    device_type: ctx.agent.device_type,
    ip: ctx.ip,
    country: ctx.country ?? '',
  }
}

function elementRow(el: ElementInput): ElementRow {
  return {
    tag: el.tag.toLowerCase(),
    id: el.id ?? '',
    classes: el.classes ?? [],
    attrs: el.attrs ?? {},
    text: scrubCardLike(el.text ?? ''),
    nth: el.nth ?? 0,
  }
}

const NO_URL = { path: '', host: '' }
const urlParts = new Map<string, { path: string; host: string }>()
const URL_CACHE_SIZE = 5_000

/**
 * Path and host of an absolute URL; both '' when it does not parse. A product has few distinct
 * pages and a batch often repeats one, so results are memoised (bounded: cleared when full).
 */
export function splitUrl(url: string | null | undefined): { path: string; host: string } {
  if (!url) return NO_URL
  const hit = urlParts.get(url)
  if (hit) return hit
  let parts = NO_URL
  try {
    const u = new URL(url)
    parts = { path: u.pathname, host: u.host }
  } catch {
    // not an absolute URL: stored as given, without path and host
  }
  if (urlParts.size >= URL_CACHE_SIZE) urlParts.clear()
  urlParts.set(url, parts)
  return parts
}

/**
 * Text that looks like a payment card number (13–19 digits passing the Luhn check) never reaches
 * the store, even if a page renders one in a clickable element. The SDK filters this too.
 */
export function scrubCardLike(text: string): string {
  if (countDigits(text) < 13) return text.trim()
  return text.replace(/\b(?:\d[ -]?){12,18}\d\b/g, (m) => (luhn(m.replace(/\D/g, '')) ? '' : m)).trim()
}

function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

function countDigits(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) n++
  }
  return n
}
