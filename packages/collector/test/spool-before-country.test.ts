import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createCollector, type Collector } from '../src/index.js'
import { buildEventRow } from '../src/ingest/event-row.js'
import { EVENT_COLUMNS } from '../src/ingest/rows.js'
import { NO_AGENT } from '../src/ingest/ua.js'
import { rows } from './helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'tenure-spool-country-'))
let collector: Collector | undefined
afterAll(async () => {
  await collector?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a spool written before events had a country', () => {
  it('replays its records into the right columns, with no country', async () => {
    // A record of the previous version: the columns it names end with ip.
    const columns = EVENT_COLUMNS.filter((c) => c !== 'country')
    const uuid = randomUUID()
    const row = buildEventRow({ uuid, event: '$pageview', timestamp: 0, anonymous_id: 'from-old-spool', url: 'https://app.example.com/' }, Date.now(), {
      projectId: 'default', receivedAt: Date.now(), skewMs: 0, lib: 'web', agent: NO_AGENT, ip: '193.0.6.0',
    })
    mkdirSync(join(dir, 'spool'), { recursive: true })
    const record = { project: 'default', columns, events: [columns.map((c) => row[c])], aliases: [], accounts: [] }
    writeFileSync(join(dir, 'spool', 'seg-0000000001.log'), `${JSON.stringify(record)}\n`)

    collector = await createCollector({ env: {}, dataDir: dir })
    const c = collector
    const end = Date.now() + 20_000
    while (c.deps.ingest.stats().replaySegments > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    expect(await rows(c, 'SELECT anonymous_id, ip, country FROM events FINAL WHERE uuid = {u:UUID}', { u: uuid })).toEqual([
      { anonymous_id: 'from-old-spool', ip: '193.0.6.0', country: '' },
    ])
  })
})
