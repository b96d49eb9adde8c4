import type { ClickHouseClient } from '@clickhouse/client'
import { tokeniseFixtureRows } from '../../testing/text.js'
import { createHash } from 'node:crypto'

/** Just the event columns the account reports read; the rest take their defaults. */
export interface TestEvent {
  event: string
  timestamp: string
  user_id?: string
  anonymous_id?: string
  account_id?: string
  feature_key?: string
  path?: string
  element_text?: string
  session_id?: string
  browser?: string
  os?: string
  device_type?: string
}

/** A stable uuid per event content, so the same fixture never duplicates itself. */
function uuidOf(e: TestEvent, i: number): string {
  const h = createHash('sha1').update(JSON.stringify(e) + i).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export async function insertEvents(client: ClickHouseClient, projectId: string, events: TestEvent[]): Promise<void> {
  const plain = events.map((e, i) => ({
    project_id: projectId, uuid: uuidOf(e, i), event: e.event, timestamp: e.timestamp, client_timestamp: e.timestamp, received_at: e.timestamp,
    anonymous_id: e.anonymous_id ?? `anon-${e.user_id ?? i}`, user_id: e.user_id ?? '', account_id: e.account_id ?? '',
    session_id: e.session_id ?? '', url: e.path ? `https://app.example.com${e.path}` : '', path: e.path ?? '', feature_key: e.feature_key ?? '',
    element_text: e.element_text ?? '', elements: [], properties: '{}', browser: e.browser ?? 'Chrome', os: e.os ?? 'Mac OS', device_type: e.device_type ?? 'desktop',
  }))
  const rows = await tokeniseFixtureRows(client, projectId, plain)
  for (let i = 0; i < rows.length; i += 50_000) {
    await client.insert({ table: 'events', values: rows.slice(i, i + 50_000), format: 'JSONEachRow' })
  }
}

export async function insertIdentities(
  client: ClickHouseClient, projectId: string,
  aliases: { anonymous_id: string; user_id: string }[], memberships: { user_id: string; account_id: string }[],
): Promise<void> {
  const updated_at = '2025-01-01 00:00:00.000'
  if (aliases.length) await client.insert({ table: 'person_aliases', values: aliases.map((a) => ({ project_id: projectId, ...a, updated_at })), format: 'JSONEachRow' })
  if (memberships.length) await client.insert({ table: 'user_accounts', values: memberships.map((m) => ({ project_id: projectId, ...m, updated_at })), format: 'JSONEachRow' })
}
