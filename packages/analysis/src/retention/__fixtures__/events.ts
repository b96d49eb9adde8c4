import type { ClickHouseClient } from '@clickhouse/client'
import { tokeniseFixtureRows } from '../../testing/text.js'
import { createHash } from 'node:crypto'

export interface FixtureElement {
  tag: string
  id?: string
  classes?: string[]
  attrs?: Record<string, string>
  text?: string
}

/** An event as a test writes it; `at` is an ISO instant. Unset columns take the defaults. */
export interface FixtureEvent {
  at: string
  event?: string
  user?: string
  anon?: string
  account?: string
  path?: string
  featureKey?: string
  elements?: FixtureElement[]
  /** Same uuid as another event: a retried copy. */
  uuid?: string
  session?: string
  /** The event's properties (traits of identify and group events). */
  properties?: Record<string, unknown>
  /** Appended to the URL after the path, e.g. `?utm_source=news`. */
  query?: string
  referrer?: string
  device?: string
  browser?: string
  os?: string
  /** ISO country code of the client's address. */
  country?: string
}

function uuidOf(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

let counter = 0

export async function insertFixtureEvents(client: ClickHouseClient, project: string, events: readonly FixtureEvent[]): Promise<void> {
  const rows = events.map((e) => {
    const ts = e.at.replace('T', ' ').replace('Z', '')
    const elements = (e.elements ?? []).map((el) => ({
      tag: el.tag,
      id: el.id ?? '',
      classes: el.classes ?? [],
      attrs: el.attrs ?? {},
      text: el.text ?? '',
      nth: 1,
    }))
    return {
      project_id: project,
      uuid: e.uuid ?? uuidOf(`${project}/${counter++}/${JSON.stringify(e)}`),
      event: e.event ?? (e.elements ? '$click' : '$pageview'),
      timestamp: ts,
      client_timestamp: ts,
      received_at: ts,
      anonymous_id: e.anon ?? `anon-of-${e.user ?? 'nobody'}`,
      user_id: e.user ?? '',
      account_id: e.account ?? '',
      session_id: e.session ?? '',
      url: `https://app.example.com${e.path ?? '/'}${e.query ?? ''}`,
      referrer: e.referrer ?? '',
      device_type: e.device ?? '',
      browser: e.browser ?? '',
      os: e.os ?? '',
      country: e.country ?? '',
      path: e.path ?? '/',
      feature_key: e.featureKey ?? '',
      element_text: elements[0]?.text ?? '',
      elements,
      properties: JSON.stringify(e.properties ?? {}),
    }
  })
  await client.insert({ table: 'events', values: await tokeniseFixtureRows(client, project, rows), format: 'JSONEachRow' })
}

export async function insertAliases(client: ClickHouseClient, project: string, aliases: Record<string, string>): Promise<void> {
  await client.insert({
    table: 'person_aliases',
    values: Object.entries(aliases).map(([anonymous_id, user_id]) => ({
      project_id: project,
      anonymous_id,
      user_id,
      updated_at: '2024-01-01 00:00:00.000',
    })),
    format: 'JSONEachRow',
  })
}

export async function insertMemberships(client: ClickHouseClient, project: string, members: Record<string, string>): Promise<void> {
  await client.insert({
    table: 'user_accounts',
    values: Object.entries(members).map(([user_id, account_id]) => ({
      project_id: project,
      user_id,
      account_id,
      updated_at: '2024-01-01 00:00:00.000',
    })),
    format: 'JSONEachRow',
  })
}

export async function setProjectTimezone(client: ClickHouseClient, project: string, timezone: string): Promise<void> {
  await client.insert({
    table: 'projects',
    values: [{ id: project, name: project, write_key: `w-${project}`, secret_key_hash: '', timezone, created_at: '2024-01-01 00:00:00.000', updated_at: '2024-01-01 00:00:00.000' }],
    format: 'JSONEachRow',
  })
}

/** ISO instant `days` after a UTC midnight date, plus hh:mm. */
export function utc(date: string, days: number, time = '12:00'): string {
  const d = new Date(`${date}T${time}:00.000Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString()
}
