import type { ClickHouseClient } from '@clickhouse/client'
import { hmacPads, keyFromPad, newTextKey } from './token.js'

/** Distinct people a text needs before it is stored in plain, unless the project says otherwise. */
export const DEFAULT_K = 5
export const MAX_K = 10_000

const now = () => new Date().toISOString().replace('T', ' ').replace('Z', '')

/**
 * The project's text key, created on first need. Two collectors creating one at once may each
 * insert a key; every reader takes the oldest, so all agree once both inserts are visible, and a
 * collector re-reads after writing so it never keeps a key that lost.
 */
export async function textKeyFor(client: ClickHouseClient, project: string): Promise<Buffer> {
  const read = async () => {
    const rs = await client.query({
      query: 'SELECT ipad_hex FROM text_keys WHERE project_id = {project:String} ORDER BY created_at, ipad_hex LIMIT 1',
      query_params: { project },
      format: 'JSONEachRow',
    })
    const rows = await rs.json<{ ipad_hex: string }>()
    return rows[0] ? keyFromPad(rows[0].ipad_hex) : null
  }
  const found = await read()
  if (found) return found
  const { ipad, opad } = hmacPads(newTextKey())
  await client.insert({
    table: 'text_keys',
    values: [{ project_id: project, ipad_hex: ipad.toString('hex'), opad_hex: opad.toString('hex'), created_at: now() }],
    format: 'JSONEachRow',
  })
  const key = await read()
  if (!key) throw new Error('the text key was not stored')
  return key
}

/** How many distinct people must produce a text before it is public in this project. */
export async function textThreshold(client: ClickHouseClient, project: string): Promise<number> {
  const rs = await client.query({
    query: 'SELECT argMax(k, updated_at) AS k, count() AS n FROM text_settings WHERE project_id = {project:String}',
    query_params: { project },
    format: 'JSONEachRow',
  })
  const row = (await rs.json<{ k: number; n: string }>())[0]
  return row && Number(row.n) > 0 ? Number(row.k) : DEFAULT_K
}

export async function setTextThreshold(client: ClickHouseClient, project: string, k: number): Promise<void> {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new RangeError(`k must be an integer from 1 to ${MAX_K}`)
  await client.insert({ table: 'text_settings', values: [{ project_id: project, k, updated_at: now() }], format: 'JSONEachRow' })
}

/** Of `tokens`, those produced by at least `k` distinct people, counted from the store. */
export async function tokensAtThreshold(client: ClickHouseClient, project: string, tokens: string[], k: number): Promise<string[]> {
  if (!tokens.length) return []
  const rs = await client.query({
    query: `SELECT token FROM element_text_people WHERE project_id = {project:String} AND token IN {tokens:Array(String)}
      GROUP BY token HAVING uniqExactMerge(people) >= {k:UInt32}`,
    query_params: { project, tokens, k },
    format: 'JSONEachRow',
  })
  return (await rs.json<{ token: string }>()).map((r) => r.token)
}

export async function publishTexts(client: ClickHouseClient, project: string, texts: { token: string; text: string }[]): Promise<void> {
  if (!texts.length) return
  await client.insert({ table: 'element_texts', values: texts.map((t) => ({ project_id: project, ...t })), format: 'JSONEachRow' })
}

/** Public texts of the project, token → text; only for `tokens` when given. */
export async function publicTexts(client: ClickHouseClient, project: string, tokens?: string[]): Promise<Map<string, string>> {
  const wanted = tokens?.filter(Boolean)
  if (wanted && !wanted.length) return new Map()
  const rs = await client.query({
    query: `SELECT token, any(text) AS text FROM element_texts WHERE project_id = {project:String}
      ${wanted ? 'AND token IN {tokens:Array(String)}' : ''} GROUP BY token`,
    query_params: { project, tokens: wanted ?? [] },
    format: 'JSONEachRow',
  })
  return new Map((await rs.json<{ token: string; text: string }>()).map((r) => [r.token, r.text]))
}
