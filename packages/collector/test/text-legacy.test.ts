import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadMigrations, migrate, openStore } from '@tenure/analysis/store'
import { textKeyFor, textToken } from '@tenure/analysis'
import { createCollector } from '../src/index.js'
import { filesContaining } from './grep-files.js'

const dir = mkdtempSync(join(tmpdir(), 'tenure-legacy-text-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const row = (user: string, text: string, i: number) => ({
  project_id: 'default',
  uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  event: '$click',
  timestamp: '2025-01-01 10:00:00.000',
  client_timestamp: '2025-01-01 10:00:00.000',
  received_at: '2025-01-01 10:00:00.000',
  anonymous_id: `anon-${user}`,
  user_id: user,
  element_text: text,
  elements: [
    { tag: 'label', id: '', classes: [], attrs: {}, text, nth: 1 },
    { tag: 'body', id: '', classes: [], attrs: {}, text: '', nth: 1 },
  ],
  properties: '{}',
})

describe('a data folder from before element text tokens', () => {
  it('has its plain element text replaced by tokens at the next start, and shared texts published', async () => {
    // The folder as an earlier version left it: schema up to migration 022, plain text in events.
    const old = openStore({ kind: 'embedded', path: dir })
    await migrate(old, (await loadMigrations()).filter((m) => m.version < 30))
    const people = ['a', 'b', 'c', 'd', 'e']
    await old.client.insert({
      table: 'events',
      values: [...people.map((p, i) => row(p, 'Clear completed', i)), row('a', 'walk the dog zq4', 10)],
      format: 'JSONEachRow',
    })
    await old.close()

    const collector = await createCollector({ dataDir: dir, env: {} })
    try {
      await collector.deps.legacyText
      const health = (await (await collector.app.request('/healthz')).json()) as { element_text: unknown }
      expect(health.element_text).toEqual({ held_texts: 0, stored_text_job: { state: 'done', project: null, step: null } })
      const client = collector.deps.store.client
      const key = await textKeyFor(client, 'default')
      const rs = await client.query({ query: `SELECT DISTINCT element_text FROM events WHERE project_id = 'default'`, format: 'JSONEachRow' })
      expect((await rs.json<{ element_text: string }>()).map((r) => r.element_text).sort()).toEqual(
        [textToken(key, 'Clear completed'), textToken(key, 'walk the dog zq4')].sort(),
      )
      const dict = await client.query({ query: `SELECT text FROM element_texts`, format: 'JSONEachRow' })
      expect(await dict.json()).toEqual([{ text: 'Clear completed' }])
      await client.command({ query: 'OPTIMIZE TABLE events FINAL' })
      await client.command({ query: 'OPTIMIZE TABLE element_chains FINAL' })
      const active = await client.query({ query: `SELECT path FROM system.parts WHERE active AND table IN ('events', 'element_chains')`, format: 'JSONEachRow' })
      for (const { path } of await active.json<{ path: string }>()) expect(filesContaining(path, ['walk the dog'])).toEqual([])
      // Then the rollup's background job has added the folder's events to the rollup and to the tables kept beside it.
      await collector.deps.rollupBackfill
      const after = (await (await collector.app.request('/healthz')).json()) as { activity_rollup: { backfill_job: unknown } }
      expect(after.activity_rollup.backfill_job).toMatchObject({ state: 'done', project: null, table: null, month: null })
      const kept = await client.query({
        query: `SELECT (SELECT sum(events) FROM activity_rollup) AS rollup, (SELECT count() FROM session_spans) AS spans, (SELECT count() FROM first_activity) AS firsts`,
        format: 'JSONEachRow',
      })
      // Five people: six events, one span each (no session id, one day), one first activity each.
      expect(await kept.json()).toEqual([{ rollup: 6, spans: 5, firsts: 5 }])
    } finally {
      await collector.close()
    }
  })
})
