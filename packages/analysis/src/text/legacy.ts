import type { Store } from '../store/client.js'
import { physicalTable, type DdlContext } from '../store/ddl.js'
import { textKeyFor, textThreshold } from './store.js'
import { hmacPads, tokenSqlWithPads } from './token.js'

const ELEMENT_TYPE = 'Array(Tuple(tag LowCardinality(String), id String, classes Array(String), attrs Map(String, String), text String, nth UInt16))'
const TEXTS = `arrayDistinct(arrayFilter(t -> t != '', arrayConcat([element_text], arrayMap(e -> e.text, elements), arrayMap(e -> e.attrs['aria-label'], elements))))`

export interface LegacyProgress {
  project: string
  step: 'publish' | 'tokenise' | 'count' | 'chains' | 'done'
}

/**
 * Events stored before element text became tokens hold it in plain. For each project listed in
 * `text_legacy` and not done: texts that at least k people produced go to the public dictionary,
 * then a mutation replaces every text of the rows received up to the cutoff with its token
 * (computed in SQL from the stored HMAC pads: same result as `textToken`), the people counts are
 * filled for those rows (views do not see mutations), and the project's element chains are rebuilt
 * from the tokenised rows. Each step can run again after a crash, so the job is restartable.
 * The engine rewrites parts one by one, so memory stays bounded whatever the table's size.
 */
export async function tokeniseStoredText(store: Store, onProgress: (p: LegacyProgress) => void = () => {}): Promise<number> {
  const ctx: DdlContext = { cluster: store.cluster }
  const client = store.client
  const rs = await client.query({
    query: `SELECT project_id, toString(argMax(cutoff, updated_at)) AS cutoff FROM text_legacy GROUP BY project_id HAVING argMax(done, updated_at) = 0`,
    format: 'JSONEachRow',
  })
  const todo = await rs.json<{ project_id: string; cutoff: string }>()
  const sync = { mutations_sync: '2' as const }
  for (const { project_id: project, cutoff } of todo) {
    const { ipad, opad } = hmacPads(await textKeyFor(client, project))
    const params = { project, cutoff, ipad: ipad.toString('hex'), opad: opad.toString('hex'), k: await textThreshold(client, project) }
    const tok = (expr: string) => tokenSqlWithPads(expr, '{ipad:String}', '{opad:String}')
    const legacyRows = `project_id = {project:String} AND received_at <= toDateTime64({cutoff:String}, 3, 'UTC')`
    const plainRows = `${legacyRows} AND (element_text != '' OR arrayExists(e -> e.text != '' OR e.attrs['aria-label'] != '', elements))`

    onProgress({ project, step: 'publish' })
    await client.command({
      query: `INSERT INTO element_texts (project_id, token, text)
        SELECT {project:String}, ${tok('t')}, t FROM events ARRAY JOIN ${TEXTS} AS t
        WHERE ${plainRows} GROUP BY t HAVING uniqExact(user_key) >= {k:UInt32}`,
      query_params: params,
    })
    onProgress({ project, step: 'tokenise' })
    await client.command({
      query: `ALTER TABLE ${physicalTable(ctx, 'events')}${ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : ''} UPDATE
        element_text = ${tok('element_text')},
        elements = CAST(arrayMap(e -> (e.tag, e.id, e.classes,
          if(e.attrs['aria-label'] = '', e.attrs, mapUpdate(e.attrs, map('aria-label', ${tok("e.attrs['aria-label']")}))),
          ${tok('e.text')}, e.nth), elements), '${ELEMENT_TYPE}')
        WHERE ${plainRows}`,
      query_params: params,
      clickhouse_settings: sync,
    })
    onProgress({ project, step: 'count' })
    await client.command({
      query: `INSERT INTO element_text_people SELECT project_id, token, uniqExactState(user_key) FROM events
        ARRAY JOIN ${TEXTS} AS token WHERE ${legacyRows} GROUP BY project_id, token`,
      query_params: params,
    })
    onProgress({ project, step: 'chains' })
    await client.command({ query: `ALTER TABLE element_chains DELETE WHERE project_id = {project:String}`, query_params: params, clickhouse_settings: sync })
    await client.command({
      query: `INSERT INTO element_chains SELECT project_id, h, any(chain)
        FROM (SELECT project_id, cityHash64(elements) AS h, elements AS chain FROM events WHERE project_id = {project:String} AND notEmpty(elements))
        GROUP BY project_id, h`,
      query_params: params,
    })
    await client.insert({
      table: 'text_legacy',
      values: [{ project_id: project, cutoff, done: 1, updated_at: new Date().toISOString().replace('T', ' ').replace('Z', '') }],
      format: 'JSONEachRow',
    })
    onProgress({ project, step: 'done' })
  }
  return todo.length
}
