import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileRules } from '../features/compile.js'
import { FeatureRule } from '../features/rules.js'
import { Params } from '../sql/params.js'
import { openTestStore } from '../testing/store.js'
import { plainTextSql } from './sql.js'
import { publishTexts, setTextThreshold, textKeyFor, textThreshold, tokensAtThreshold, DEFAULT_K } from './store.js'
import { isToken, textToken, tokenSqlForProject } from './token.js'

let t: Awaited<ReturnType<typeof openTestStore>>

beforeAll(async () => {
  t = await openTestStore()
})
afterAll(async () => {
  await t?.cleanup()
})

const row = (user: string, text: string, key: Buffer, i: number) => ({
  project_id: 'p1',
  uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  event: '$click',
  timestamp: '2024-01-01 10:00:00.000',
  client_timestamp: '2024-01-01 10:00:00.000',
  received_at: '2024-01-01 10:00:00.000',
  anonymous_id: `anon-${user}`,
  user_id: user,
  element_text: textToken(key, text),
  elements: [
    { tag: 'button', id: '', classes: [], attrs: {}, text: textToken(key, text), nth: 1 },
    { tag: 'li', id: '', classes: [], attrs: { 'aria-label': textToken(key, `Remove ${text}`), role: 'listitem' }, text: '', nth: 1 },
    { tag: 'body', id: '', classes: [], attrs: {}, text: '', nth: 1 },
  ],
  properties: '{}',
})

async function users(rules: unknown[]): Promise<string[]> {
  const params = new Params('r')
  const cond = compileRules(FeatureRule.array().parse(rules), params)
  const rs = await t.store.client.query({
    query: `SELECT DISTINCT user_id FROM events WHERE project_id = {project:String} AND ${cond} ORDER BY user_id`,
    query_params: { ...params.values, project: 'p1' },
    format: 'JSONEachRow',
  })
  return (await rs.json<{ user_id: string }>()).map((r) => r.user_id)
}

describe('element text tokens', () => {
  it('is a keyed 64-bit hex token, empty for empty text, different per key', async () => {
    const k1 = await textKeyFor(t.store.client, 'p1')
    const k2 = await textKeyFor(t.store.client, 'p2')
    expect(await textKeyFor(t.store.client, 'p1')).toEqual(k1)
    expect(textToken(k1, '')).toBe('')
    expect(isToken(textToken(k1, 'Export CSV'))).toBe(true)
    expect(textToken(k1, 'Export CSV')).not.toBe(textToken(k2, 'Export CSV'))
  })

  it('computes the same token in SQL from the stored pads', async () => {
    const key = await textKeyFor(t.store.client, 'p1')
    for (const text of ['Export CSV', 'héllo wörld ✓', "x' OR 1=1 --"]) {
      const rs = await t.store.client.query({
        query: `SELECT ${tokenSqlForProject('{t:String}', '{project:String}')} AS tok`,
        query_params: { t: text, project: 'p1' },
        format: 'JSONEachRow',
      })
      expect((await rs.json<{ tok: string }>())[0]!.tok).toBe(textToken(key, text))
    }
  })

  it('counts distinct people per token at insert, matches equality below k, contains and plain text only once public', async () => {
    const client = t.store.client
    const key = await textKeyFor(client, 'p1')
    expect(await textThreshold(client, 'p1')).toBe(DEFAULT_K)
    await setTextThreshold(client, 'p1', 3)
    expect(await textThreshold(client, 'p1')).toBe(3)
    await expect(setTextThreshold(client, 'p1', 0)).rejects.toThrow(RangeError)
    const rows = [
      row('ann', 'Clear completed', key, 1),
      row('bob', 'Clear completed', key, 2),
      row('bob', 'Clear completed', key, 3),
      row('cat', 'Clear completed', key, 4),
      row('ann', 'buy milk for granny', key, 5),
    ]
    await client.insert({ table: 'events', values: rows, format: 'JSONEachRow' })
    const clear = textToken(key, 'Clear completed')
    const milk = textToken(key, 'buy milk for granny')
    expect(await tokensAtThreshold(client, 'p1', [clear, milk], 3)).toEqual([clear])
    expect(await tokensAtThreshold(client, 'p1', [clear, milk], 4)).toEqual([])

    // Equality works on tokens whatever the count; contains needs the public text.
    expect(await users([{ type: 'element', text: 'buy milk for granny' }])).toEqual(['ann'])
    expect(await users([{ type: 'element', text: 'Clear completed' }])).toEqual(['ann', 'bob', 'cat'])
    expect(await users([{ type: 'element', text: 'completed', textMatch: 'contains' }])).toEqual([])
    expect(await users([{ type: 'element', text: 'milk', textMatch: 'contains' }])).toEqual([])
    expect(await users([{ type: 'element', text: 'buy milk', textMatch: 'equals' }])).toEqual([])
    // aria-label values are tokens too: a selector on one compares tokens.
    expect(await users([{ type: 'element', selector: 'li[aria-label="Remove buy milk for granny"]' }])).toEqual(['ann'])
    expect(await users([{ type: 'element', selector: 'li[aria-label="Remove"]' }])).toEqual([])
    expect(await users([{ type: 'element', selector: 'li[role=listitem]' }])).toEqual(['ann', 'bob', 'cat'])

    await publishTexts(client, 'p1', [{ token: clear, text: 'Clear completed' }])
    expect(await users([{ type: 'element', text: 'COMPLETED', textMatch: 'contains' }])).toEqual(['ann', 'bob', 'cat'])
    expect(await users([{ type: 'element', text: 'milk', textMatch: 'contains' }])).toEqual([])

    const rs = await client.query({
      query: `SELECT user_id, ${plainTextSql('element_text', '{project:String}')} AS text FROM events WHERE project_id = {project:String} ORDER BY uuid`,
      query_params: { project: 'p1' },
      format: 'JSONEachRow',
    })
    expect((await rs.json<{ text: string }>()).map((r) => r.text)).toEqual([
      'Clear completed', 'Clear completed', 'Clear completed', 'Clear completed', '(private text)',
    ])
  })

  it('matches nothing by text in a project without a key', async () => {
    const params = new Params('r')
    const cond = compileRules([{ type: 'element', text: '', textMatch: 'equals' }], params)
    const rs = await t.store.client.query({
      query: `SELECT count() AS n FROM events WHERE project_id = {project:String} AND ${cond}`,
      query_params: { ...params.values, project: 'no-key' },
      format: 'JSONEachRow',
    })
    expect(Number((await rs.json<{ n: string }>())[0]!.n)).toBe(0)
  })
})
