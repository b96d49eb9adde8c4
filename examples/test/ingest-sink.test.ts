import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCollector, type Collector } from '@tenure/collector'
import { Simulation } from '../simulate/simulate.js'
import { HttpSink } from '../simulate/sinks/http.js'
import { IngestSink } from '../simulate/sinks/ingest.js'

/**
 * The demo loads its free sign-ups through IngestSink (the collector's ingestion pipeline without
 * HTTP): the same simulated visits sent through `POST /v1/batch` to one project and through
 * IngestSink to another must be stored as the same rows. Only what differs by design is left
 * out: the project, the receive time, and element text, which is stored as tokens of each
 * project's own key (compared as present or absent).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'tenure-ingest-sink-'))
const WRITE_KEY = 'wk_ingest_sink_test'
let collector: Collector
let http = ''
let direct = ''

const today = new Date().toISOString().slice(0, 10)
const world = () => new Simulation({ seed: 6, users: 40, days: 20, endDate: today })

beforeAll(async () => {
  collector = await createCollector({ dataDir, env: { TENURE_WRITE_KEY: WRITE_KEY, TENURE_SECRET_KEY: 'sk_ingest_sink_test_0123456789abcdef' } })
  const { url } = await collector.listen(0, '127.0.0.1')
  http = (await collector.deps.projects.byWriteKey(WRITE_KEY))!.id
  direct = (await collector.deps.projects.create({ name: 'Loaded in-process' })).project.id
  const httpSink = new HttpSink({ url, writeKey: WRITE_KEY, batchSize: 1000 })
  for (const s of world().sessions()) await httpSink.write(s)
  const stats = await httpSink.flush()
  expect(stats.rejected).toBe(0)
  const ingestSink = new IngestSink({ collector, projectId: direct, batchSize: 700 })
  for (const s of world().sessions()) await ingestSink.write(s)
  await ingestSink.flush()
  await collector.deps.ingest.flush()
}, 180_000)

afterAll(async () => {
  await collector?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function rows(sql: string, project: string): Promise<unknown[]> {
  const rs = await collector.deps.store.client.query({ query: sql, query_params: { p: project }, format: 'JSONCompactEachRow' })
  return rs.json()
}

describe('IngestSink stores what POST /v1/batch stores', () => {
  it('the same events, field by field', async () => {
    const sql = `SELECT uuid, event, timestamp, client_timestamp, anonymous_id, user_id, account_id, session_id, url, path, host, referrer,
        title, feature_key, element_text != '' AS has_text, arrayMap(e -> (e.tag, e.id, e.classes, e.attrs, e.text != '', e.nth), elements) AS chain,
        properties, lib, browser, browser_version, os, os_version, device_type, ip
      FROM events FINAL WHERE project_id = {p:String} ORDER BY uuid`
    const viaHttp = await rows(sql, http)
    expect(viaHttp.length).toBeGreaterThan(1000)
    expect(await rows(sql, direct)).toEqual(viaHttp)
  })

  it('the same identities: aliases of anonymous ids and accounts of users', async () => {
    const aliases = 'SELECT anonymous_id, argMax(user_id, updated_at) FROM person_aliases WHERE project_id = {p:String} GROUP BY anonymous_id ORDER BY anonymous_id'
    const accounts = 'SELECT user_id, argMax(account_id, updated_at) FROM user_accounts WHERE project_id = {p:String} GROUP BY user_id ORDER BY user_id'
    expect((await rows(aliases, http)).length).toBeGreaterThan(10)
    expect(await rows(aliases, direct)).toEqual(await rows(aliases, http))
    expect(await rows(accounts, direct)).toEqual(await rows(accounts, http))
  })
})
