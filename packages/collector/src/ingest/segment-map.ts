import { createHash, randomUUID } from 'node:crypto'
import { LIMITS, type EventInput } from '../schema/batch.js'
import type { SegmentMessage } from '../schema/segment.js'
import { clip } from './sanitize.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A stable UUID for a Segment messageId, so a library's retry of the same message lands on the same
 * row: the id itself when it is a UUID, else a name-based UUID (SHA-256, version 8) of it.
 */
export function messageUuid(messageId: string | undefined): string {
  if (!messageId) return randomUUID()
  if (UUID.test(messageId)) return messageId.toLowerCase()
  const h = createHash('sha256').update(messageId).digest()
  h[6] = (h[6]! & 0x0f) | 0x80
  h[8] = (h[8]! & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`
}

/**
 * A Segment message as a Tenure event: track keeps its name; page → $pageview; identify →
 * $identify (traits as properties); group → $group with the group as account; alias → $identify
 * of the previous id, which ties it to the user like a browser identify does.
 */
export function segmentToEvent(m: SegmentMessage, fallbackTimestamp: number): EventInput {
  const ctx = m.context
  const props: Record<string, unknown> = { ...(m.properties ?? {}) }
  let event: string
  let anonymous = m.anonymousId ?? ''
  let account = ctx?.groupId ?? null
  switch (m.type) {
    case 'track':
      event = m.event!
      break
    case 'page':
      event = '$pageview'
      if (m.name) props.name = m.name
      if (m.category) props.category = m.category
      break
    case 'screen':
      event = '$screen'
      if (m.name) props.name = m.name
      break
    case 'identify':
      event = '$identify'
      Object.assign(props, m.traits ?? {})
      break
    case 'group':
      event = '$group'
      account = m.groupId!
      Object.assign(props, m.traits ?? {})
      break
    case 'alias':
      event = '$identify'
      anonymous = m.previousId!
      props.$alias = true
      break
  }
  const page = ctx?.page
  const url = clipUrl(str(props.url) ?? page?.url ?? null)
  return {
    uuid: messageUuid(m.messageId),
    event,
    timestamp: m.timestamp ?? m.originalTimestamp ?? fallbackTimestamp,
    anonymous_id: anonymous,
    user_id: m.userId ?? null,
    account_id: account,
    session_id: null,
    url,
    referrer: clipUrl(str(props.referrer) ?? page?.referrer ?? null),
    title: clipOrNull(str(props.title), 512) ?? page?.title ?? null,
    feature_key: null,
    elements: null,
    properties: props,
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null
}

/** Library that sent a message, e.g. "analytics-node-next/2.1.0"; "segment" when it does not say. */
export function segmentLib(m: SegmentMessage): string {
  const lib = m.context?.library
  if (!lib?.name) return 'segment'
  return clip(lib.version ? `${lib.name}/${lib.version}` : lib.name, 100)
}

// Cuts never split a surrogate pair: half of one is a lone surrogate, which the store refuses.
function clipOrNull(s: string | null, max: number): string | null {
  return s === null ? null : clip(s, max)
}

function clipUrl(url: string | null): string | null {
  return clipOrNull(url, LIMITS.stringUrl)
}
