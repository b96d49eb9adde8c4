import { describe, expect, it } from 'vitest'
import { buildEventRow } from './event-row.js'
import { lineBytes } from './encoded.js'
import { keyReader, withoutStored, type RowKey } from './replay-dedupe.js'
import { EVENT_COLUMNS, eventRowJson } from './rows.js'
import { NO_AGENT } from './ua.js'

const ctx = { projectId: 'p', receivedAt: Date.UTC(2026, 0, 5), skewMs: 0, lib: 'web', agent: NO_AGENT, ip: '' }
const row = (uuid: string, over: { anonymous_id?: string; user_id?: string | null; account_id?: string } = {}) =>
  eventRowJson(buildEventRow({
    uuid, event: '$click', timestamp: 0, anonymous_id: over.anonymous_id ?? 'anon', user_id: over.user_id ?? null, account_id: over.account_id,
    url: 'https://app.example.com/a', elements: [{ tag: 'button', text: 'He said "hi" \\ there', attrs: { 'data-x': '[1,2]' } }],
    properties: { note: 'a "quoted", [bracketed] value' },
  }, ctx.receivedAt, ctx))

/** What a whole parse of the line gives, the reference the pattern must agree with. */
function parsedKey(columns: readonly string[], line: string) {
  const r = JSON.parse(line) as unknown[]
  const v = (name: string) => r[columns.indexOf(name)] as string
  const user = v('user_id')
  return { project: v('project_id'), key: { account: v('account_id'), userKey: user !== '' ? user : v('anonymous_id'), uuid: v('uuid').toLowerCase() } }
}

describe('reading a row key off a spooled line', () => {
  const read = keyReader(EVENT_COLUMNS)

  it('reads the key columns off the start of the line, escapes and all, as a whole parse does', () => {
    const lines = [
      row('0190F5F4-8A4E-7C3B-9D2A-1B2C3D4E5F60'),
      row('0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f61', { anonymous_id: 'a "quoted", [odd] \\ id \u00e9\u{1F600}', account_id: 'acme' }),
      row('0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f62', { user_id: 'u,1', account_id: 'b\\"c' }),
    ]
    for (const line of lines) expect(read(line)).toEqual(parsedKey(EVENT_COLUMNS, line))
    expect(read(lines[1]!)!.key.userKey).toBe('a "quoted", [odd] \\ id \u00e9\u{1F600}')
    expect(read(lines[0]!)!.key.uuid).toBe('0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f60')
  })

  it('reads rows of another column order (a spool record of an older version), and parses lines the pattern does not fit', () => {
    const columns = ['uuid', 'event', 'user_id', 'anonymous_id', 'account_id', 'project_id', 'properties']
    const line = JSON.stringify(['0190F5F4-8A4E-7C3B-9D2A-1B2C3D4E5F63', '$click', '', 'anon', '', 'p', '{}'])
    expect(keyReader(columns)(line)).toEqual({ project: 'p', key: { account: '', userKey: 'anon', uuid: '0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f63' } })
    // A number where a key column should be: no key, so the row is kept and the store decides.
    expect(read(JSON.stringify(['p', 7, 'e']))).toBeNull()
    expect(read('not json')).toBeNull()
    expect(keyReader(['uuid', 'event'])(JSON.stringify(['x', 'e']))).toBeNull()
  })

  it('drops the rows the store holds and repeats within the batch, and keeps rows without a key', async () => {
    const a = row('0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f64')
    const b = row('0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f65')
    const asked: RowKey[] = []
    const out = await withoutStored(
      { columns: EVENT_COLUMNS, events: lineBytes([a, b, b, 'not json']), eventCount: 4, aliases: Buffer.alloc(0), accounts: Buffer.alloc(0), checkStored: true },
      async (_project, keys) => {
        asked.push(...keys)
        return new Set(['0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f64'])
      },
    )
    expect(asked.map((k) => k.uuid)).toEqual(['0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f64', '0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f65', '0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f65'])
    expect(out.eventCount).toBe(2)
    expect(out.events.toString('utf8')).toBe(`${b}\nnot json\n`)
  })

  it('reads and looks up only the lines the batch names as possibly stored', async () => {
    const [a, b, c, d] = ['66', '67', '68', '69'].map((n) => row(`0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f${n}`))
    const asked: string[] = []
    const lookup = async (_project: string, keys: RowKey[]) => {
      asked.push(...keys.map((k) => k.uuid))
      return new Set(['0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f66', '0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f68'])
    }
    const batch = { columns: EVENT_COLUMNS, events: lineBytes([a!, b!, c!, d!]), eventCount: 4, aliases: Buffer.alloc(0), accounts: Buffer.alloc(0), checkStored: true }
    // Line 0 (a) is not named: it stays, though the store holds it, and is not even asked for.
    const out = await withoutStored({ ...batch, checkLines: [[1, 3]] }, lookup)
    expect(asked).toEqual(['0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f67', '0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f68'])
    expect(out.events.toString('utf8')).toBe(`${a}\n${b}\n${d}\n`)
    // No line named: nothing is asked.
    asked.length = 0
    expect(await withoutStored({ ...batch, checkLines: [] }, lookup)).toEqual({ ...batch, checkLines: [] })
    expect(asked).toEqual([])
  })
})
