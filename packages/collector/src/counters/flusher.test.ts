import type { ClickHouseClient } from '@clickhouse/client'
import { openTestStore } from '@tenure/analysis/testing'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CounterFlusher, type CounterClient } from './flusher.js'
import { CounterLedger } from './ledger.js'

type TestStore = Awaited<ReturnType<typeof openTestStore>>

/** Faults around the real client: `refuse` fails a write before the store sees it; `loseAnswer` lets it land, then fails it. */
const faults = { refuse: false, loseAnswer: 0 }
let t: TestStore
const client: CounterClient = {
  insert: (async (args: Parameters<ClickHouseClient['insert']>[0]) => {
    if (faults.refuse) throw new Error('injected: store unavailable')
    const res = await t.store.client.insert(args)
    if (faults.loseAnswer > 0) {
      faults.loseAnswer--
      throw new Error('injected: answer lost after the write')
    }
    return res
  }) as ClickHouseClient['insert'],
}

const HOUR = 3_600_000
const day = new Date().toISOString().slice(0, 10)

async function stored(project: string): Promise<number> {
  const rs = await t.store.client.query({
    query: 'SELECT sum(value) AS n FROM ingest_counters WHERE project_id = {p:String}',
    query_params: { p: project },
    format: 'JSONEachRow',
  })
  return Number((await rs.json<{ n: string }>())[0]!.n)
}

const unflushedOf = (f: CounterFlusher, project: string) =>
  f.consistent(async (unflushed) => unflushed(project, day, day).reduce((s, r) => s + r.value, 0))

describe('counter flusher on the embedded engine', () => {
  let ledger: CounterLedger
  let flusher: CounterFlusher
  const file = () => join(t.dir, 'counters.unsent.json')

  beforeAll(async () => {
    t = await openTestStore()
    ledger = new CounterLedger()
    flusher = await CounterFlusher.start(client, ledger, { intervalMs: HOUR, leftoverFile: file() })
  })
  afterAll(async () => {
    faults.refuse = false
    await flusher.close()
    await t.cleanup()
  })

  it('writes deltas once, and equal deltas of two writes both count', async () => {
    ledger.add('p_a', 'events_accepted', '', 5)
    expect(await unflushedOf(flusher, 'p_a')).toBe(5)
    expect(await flusher.flush()).toBe(true)
    expect(await unflushedOf(flusher, 'p_a')).toBe(0)
    expect(await stored('p_a')).toBe(5)
    // Same rows again: a new token, so the table keeps both writes.
    ledger.add('p_a', 'events_accepted', '', 5)
    expect(await flusher.flush()).toBe(true)
    expect(await flusher.flush()).toBe(true)
    expect(await stored('p_a')).toBe(10)
  })

  it('keeps the deltas of a refused write and writes them when the store is back', async () => {
    faults.refuse = true
    ledger.add('p_b', 'events_bots', '', 4)
    expect(await flusher.flush()).toBe(false)
    ledger.add('p_b', 'events_bots', '', 2)
    expect(await flusher.flush()).toBe(false)
    ledger.add('p_b', 'events_bots', '', 1)
    expect(await flusher.flush()).toBe(false)
    expect(await unflushedOf(flusher, 'p_b')).toBe(7)
    faults.refuse = false
    expect(await flusher.flush()).toBe(true)
    expect(await stored('p_b')).toBe(7)
    expect(await unflushedOf(flusher, 'p_b')).toBe(0)
  })

  it('counts a write retried after its answer was lost once', async () => {
    faults.loseAnswer = 1
    ledger.add('p_c', 'events_spooled', '', 9)
    expect(await flusher.flush()).toBe(false)
    expect(await stored('p_c')).toBe(9)
    expect(await flusher.flush()).toBe(true)
    expect(await stored('p_c')).toBe(9)
  })

  it('saves what it could not write when closing and writes it, once, on the next start', async () => {
    const own = new CounterLedger()
    let f = await CounterFlusher.start(client, own, { intervalMs: HOUR, leftoverFile: file() })
    own.add('p_d', 'events_replayed', '', 3)
    // The first write lands but its answer is lost; the store is then down until after closing.
    faults.loseAnswer = 1
    expect(await f.flush()).toBe(false)
    faults.refuse = true
    own.add('p_d', 'events_replayed', '', 4)
    await f.close()
    expect(existsSync(file())).toBe(true)
    expect(await stored('p_d')).toBe(3)

    faults.refuse = false
    // Starting writes the saved batches at once; the one that had landed is dropped as a copy.
    f = await CounterFlusher.start(client, new CounterLedger(), { intervalMs: HOUR, leftoverFile: file() })
    expect(await f.flush()).toBe(true)
    expect(await stored('p_d')).toBe(7)
    expect(existsSync(file())).toBe(false)
    await f.close()
  })
})
