import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { tokeniseStoredText } from './legacy.js'
import { setTextThreshold, textKeyFor } from './store.js'
import { textToken } from './token.js'

let t: Awaited<ReturnType<typeof openTestStore>>

beforeAll(async () => {
  t = await openTestStore()
})
afterAll(async () => {
  await t?.cleanup()
})

const plainRow = (user: string, text: string, i: number) => ({
  project_id: 'old',
  uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  event: '$click',
  timestamp: '2024-01-01 10:00:00.000',
  client_timestamp: '2024-01-01 10:00:00.000',
  received_at: '2024-01-01 10:00:00.000',
  anonymous_id: `anon-${user}`,
  user_id: user,
  element_text: text,
  elements: [
    { tag: 'label', id: '', classes: [], attrs: {}, text, nth: 1 },
    { tag: 'li', id: '', classes: ['todo'], attrs: { 'aria-label': `Delete ${text}`, role: 'listitem' }, text: '', nth: 2 },
    { tag: 'body', id: '', classes: [], attrs: {}, text: 'Todos', nth: 1 },
  ],
  properties: '{}',
})

function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = []
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f)
      if (statSync(p).isDirectory()) walk(p)
      else if (readFileSync(p).includes(needle)) hits.push(p)
    }
  }
  walk(dir)
  return hits
}

describe('tokenising element text stored before tokens', () => {
  it('publishes texts of k people, replaces every stored text with its token, and rebuilds chains', async () => {
    const client = t.store.client
    await setTextThreshold(client, 'old', 2)
    const rows = [plainRow('ann', 'Active', 1), plainRow('bob', 'Active', 2), plainRow('ann', 'call the dentist zq7', 3)]
    await client.insert({ table: 'events', values: rows, format: 'JSONEachRow' })
    // As migration 030 lists a folder's projects that hold plain text.
    await client.insert({
      table: 'text_legacy',
      values: [{ project_id: 'old', cutoff: '2024-01-01 10:00:00.000', done: 0, updated_at: '2024-01-01 00:00:00.000' }],
      format: 'JSONEachRow',
    })
    const steps: string[] = []
    expect(await tokeniseStoredText(t.store, (p) => steps.push(p.step))).toBe(1)
    expect(steps).toEqual(['publish', 'tokenise', 'count', 'chains', 'done'])
    expect(await tokeniseStoredText(t.store)).toBe(0)

    const key = await textKeyFor(client, 'old')
    const q = async <T>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>()
    const events = await q<{ element_text: string; texts: string[]; ok: number }>(
      `SELECT element_text, arrayMap(e -> e.text, elements) AS texts, chain_hash = cityHash64(elements) AS ok FROM events WHERE project_id = 'old' ORDER BY uuid`,
    )
    expect(events.map((e) => e.element_text)).toEqual(['Active', 'Active', 'call the dentist zq7'].map((s) => textToken(key, s)))
    expect(events[2]!.texts).toEqual([textToken(key, 'call the dentist zq7'), '', textToken(key, 'Todos')])
    const labels = await q<{ attrs: Record<string, string> }>(`SELECT elements[2].attrs AS attrs FROM events WHERE project_id = 'old' ORDER BY uuid`)
    expect(labels[2]!.attrs).toEqual({ 'aria-label': textToken(key, 'Delete call the dentist zq7'), role: 'listitem' })
    expect(events.every((e) => Number(e.ok) === 1)).toBe(true)
    expect(await q(`SELECT token, text FROM element_texts WHERE project_id = 'old' ORDER BY text`)).toEqual([
      { token: textToken(key, 'Active'), text: 'Active' },
      { token: textToken(key, 'Delete Active'), text: 'Delete Active' },
      { token: textToken(key, 'Todos'), text: 'Todos' },
    ])
    const chains = await q<{ texts: string[] }>(`SELECT arrayMap(e -> e.text, elements) AS texts FROM element_chains FINAL WHERE project_id = 'old'`)
    expect(chains.flatMap((c) => c.texts).some((s) => s === 'call the dentist zq7' || s === 'Active')).toBe(false)
    const people = await q<{ n: string }>(
      `SELECT uniqExactMerge(people) AS n FROM element_text_people WHERE project_id = 'old' AND token = '${textToken(key, 'Active')}'`,
    )
    expect(Number(people[0]!.n)).toBe(2)

    // No active part of the engine holds the private text any more (replaced parts go after their lifetime).
    await client.command({ query: 'OPTIMIZE TABLE events FINAL' })
    const active = await q<{ path: string }>(`SELECT path FROM system.parts WHERE active AND table IN ('events', 'element_chains')`)
    for (const { path } of active) expect(filesContaining(path, 'dentist zq7')).toEqual([])
  })
})
