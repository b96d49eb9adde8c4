import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileRules, FeatureRule, Params, textKeyFor, textToken } from '@tenure/analysis'
import { filesContaining } from './grep-files.js'
import { post, rows, sdkBatch, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector
beforeAll(async () => {
  t = await startCollector()
})
afterAll(() => t.cleanup())

const auth = () => ({ authorization: `Bearer ${t.secretKey}`, 'content-type': 'application/json' })

const click = (person: string, text: string) => ({
  uuid: randomUUID(),
  event: '$click',
  timestamp: new Date().toISOString(),
  anonymous_id: `anon-${person}`,
  user_id: person,
  url: 'https://todo.example.com/',
  elements: [
    { tag: 'label', classes: ['item'], text, nth: 1 },
    { tag: 'li', classes: ['todo'], attrs: { 'aria-label': `Item: ${text}` }, nth: 1 },
    { tag: 'body', nth: 1 },
  ],
})

async function clicks(person: string): Promise<void> {
  const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [click(person, 'Clear completed'), click(person, `secret item of ${person} zq9`)]))
  expect(await res.json()).toMatchObject({ accepted: 2 })
}

async function published(): Promise<string[]> {
  await t.collector.deps.ingest.flush()
  await t.collector.deps.texts.check()
  return (await rows<{ text: string }>(t.collector, `SELECT text FROM element_texts FINAL WHERE project_id = 'default' ORDER BY text`)).map((r) => r.text)
}

async function matchingUsers(rule: unknown): Promise<string[]> {
  const params = new Params('r')
  const cond = compileRules(FeatureRule.array().parse([rule]), params)
  const r = await rows<{ user_id: string }>(
    t.collector,
    `SELECT DISTINCT user_id FROM events FINAL WHERE project_id = {project:String} AND ${cond} ORDER BY user_id`,
    { ...params.values, project: 'default' },
  )
  return r.map((x) => x.user_id)
}

describe('k-anonymous element text at ingest', () => {
  it('sets k per project through the API, with clear errors', async () => {
    const get = await t.collector.app.request('/v1/settings/element-text', { headers: auth() })
    expect(await get.json()).toEqual({ k: 5 })
    const bad = await t.collector.app.request('/v1/settings/element-text', { method: 'PUT', headers: auth(), body: JSON.stringify({ k: 0 }) })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_body', field: 'k' } })
    const noKey = await t.collector.app.request('/v1/settings/element-text', { method: 'PUT', body: JSON.stringify({ k: 3 }) })
    expect(noKey.status).toBe(401)
    const put = await t.collector.app.request('/v1/settings/element-text', { method: 'PUT', headers: auth(), body: JSON.stringify({ k: 3 }) })
    expect(await put.json()).toEqual({ k: 3 })
  })

  it('stores tokens only, and a text in plain once k people produced it, retroactively for rules', async () => {
    await clicks('ann')
    await clicks('bob')
    // The spool holds the accepted rows now: tokens only.
    expect(filesContaining(t.dir, ['secret item of', 'Clear completed'])).toEqual([])
    expect(await published()).toEqual([])
    // The same person again does not count twice.
    await clicks('bob')
    expect(await published()).toEqual([])
    expect(await matchingUsers({ type: 'element', text: 'Clear completed' })).toEqual(['ann', 'bob'])
    expect(await matchingUsers({ type: 'element', text: 'secret item of ann zq9' })).toEqual(['ann'])
    expect(await matchingUsers({ type: 'element', text: 'clear', textMatch: 'contains' })).toEqual([])

    await clicks('cat')
    expect(await published()).toEqual(['Clear completed', 'Item: Clear completed'])
    expect(await matchingUsers({ type: 'element', text: 'clear', textMatch: 'contains' })).toEqual(['ann', 'bob', 'cat'])
    expect(await matchingUsers({ type: 'element', text: 'secret', textMatch: 'contains' })).toEqual([])

    const key = await textKeyFor(t.collector.deps.store.client, 'default')
    const stored = await rows<{ element_text: string }>(t.collector, `SELECT DISTINCT element_text FROM events WHERE project_id = 'default' ORDER BY element_text`)
    expect(stored.map((r) => r.element_text).sort()).toEqual(
      ['Clear completed', 'secret item of ann zq9', 'secret item of bob zq9', 'secret item of cat zq9'].map((s) => textToken(key, s)).sort(),
    )
    await t.collector.deps.store.client.command({ query: 'OPTIMIZE TABLE events FINAL' })
    expect(filesContaining(t.dir, ['secret item of'])).toEqual([])
    // Each person's own item, as text and as aria-label, waits in memory only.
    expect(t.collector.deps.texts.held).toBe(6)
    const labels = await rows<{ label: string }>(t.collector, `SELECT DISTINCT elements[2].attrs['aria-label'] AS label FROM events WHERE project_id = 'default'`)
    expect(labels.map((r) => r.label).sort()).toEqual(
      ['Item: Clear completed', 'Item: secret item of ann zq9', 'Item: secret item of bob zq9', 'Item: secret item of cat zq9'].map((s) => textToken(key, s)).sort(),
    )
  })

  it('suggests public texts in plain and marks the rest private', async () => {
    const res = await t.collector.app.request('/v1/features/suggestions', { headers: auth() })
    const { suggestions } = (await res.json()) as { suggestions: { name: string; rules: { text?: string }[] }[] }
    const names = suggestions.map((s) => s.name)
    expect(names).toContain('Clear completed')
    expect(names.some((n) => n.includes('(private text)'))).toBe(true)
    expect(JSON.stringify(suggestions)).not.toContain('secret item')
  })
})
