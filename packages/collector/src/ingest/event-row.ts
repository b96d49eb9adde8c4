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
    ...ctx.agent,
    ip: ctx.ip,
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

/** Path and host of an absolute URL; both '' when it does not parse. */
export function splitUrl(url: string | null | undefined): { path: string; host: string } {
  if (!url) return { path: '', host: '' }
  try {
    const u = new URL(url)
    return { path: u.pathname, host: u.host }
  } catch {
    return { path: '', host: '' }
  }
}

/**
 * Text that looks like a payment card number (13–19 digits passing the Luhn check) never reaches
 * the store, even if a page renders one in a clickable element. The SDK filters this too.
 */
export function scrubCardLike(text: string): string {
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
