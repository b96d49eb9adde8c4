import type { ClickHouseClient } from '@clickhouse/client'
import { tokeniseFixtureRows } from '../../testing/text.js'
import { randomUUID } from 'node:crypto'

/** An event as a nudge test writes it: `at` is an ISO instant; `nudge` sets properties.nudge_id. */
export interface NudgeFixtureEvent {
  at: string
  event?: string
  user?: string
  anon?: string
  account?: string
  path?: string
  /** id of the clicked element (a button). */
  click?: string
  nudge?: string
  properties?: Record<string, unknown>
  /** The event's id; a copy of an event (a client's retry) has the same. Random when not set. */
  uuid?: string
}

const ch = (iso: string) => iso.replace('T', ' ').replace('Z', '')

export async function insertNudgeEvents(client: ClickHouseClient, project: string, events: readonly NudgeFixtureEvent[]): Promise<void> {
  const rows = events.map((e) => {
    const elements = e.click ? [{ tag: 'button', id: e.click, classes: [], attrs: {}, text: e.click, nth: 1 }] : []
    const properties = { ...e.properties, ...(e.nudge ? { nudge_id: e.nudge } : {}) }
    return {
      project_id: project,
      uuid: e.uuid ?? randomUUID(),
      event: e.event ?? (e.click ? '$click' : '$pageview'),
      timestamp: ch(e.at),
      client_timestamp: ch(e.at),
      received_at: ch(e.at),
      anonymous_id: e.anon ?? `anon-of-${e.user ?? 'nobody'}`,
      user_id: e.user ?? '',
      account_id: e.account ?? '',
      url: `https://app.example.com${e.path ?? '/'}`,
      path: e.path ?? '/',
      elements,
      element_text: elements[0]?.text ?? '',
      properties: JSON.stringify(properties),
    }
  })
  await client.insert({ table: 'events', values: await tokeniseFixtureRows(client, project, rows), format: 'JSONEachRow' })
}

/** ISO instant: a date plus `days`, at hh:mm UTC. */
export function day(date: string, days = 0, time = '12:00'): string {
  const d = new Date(`${date}T${time}:00.000Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString()
}
