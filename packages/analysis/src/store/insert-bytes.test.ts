import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from './client.js'

/**
 * The server path of `insertBytes`, as seen on the wire: no ClickHouse server runs here, so a
 * plain HTTP listener records what the client sends (the embedded path is covered by every
 * ingestion test).
 */
describe('insertBytes against a ClickHouse server', () => {
  const seen: { url: URL; body: Buffer }[] = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ url: new URL(req.url ?? '/', 'http://h'), body: Buffer.concat(chunks) })
      res.setHeader('X-ClickHouse-Summary', '{}')
      res.end()
    })
  })
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('sends the rows as the request body, the INSERT and its settings in the URL', async () => {
    const store = openStore({ kind: 'server', url, database: 'analytics' })
    const bytes = Buffer.from('["p","é"]\n["q","x"]\n')
    await store.insertBytes({ table: 'events', columns: ['project_id', 'title'], format: 'JSONCompactEachRow', bytes })
    await store.close()
    expect(seen).toHaveLength(1)
    const { url: sent, body } = seen[0]!
    expect(sent.searchParams.get('query')).toBe('INSERT INTO events (project_id, title) FORMAT JSONCompactEachRow')
    expect(sent.searchParams.get('database')).toBe('analytics')
    expect(sent.searchParams.get('async_insert')).toBe('0')
    expect(sent.searchParams.get('session_timezone')).toBe('UTC')
    expect(body.equals(bytes)).toBe(true)
  })

  it('refuses a table or column name that is not an identifier', async () => {
    const store = openStore({ kind: 'server', url, database: 'analytics' })
    await expect(store.insertBytes({ table: 'events; DROP TABLE x', columns: ['a'], format: 'JSONEachRow', bytes: Buffer.from('{}\n') })).rejects.toThrow(/invalid identifier/)
    await expect(store.insertBytes({ table: 'events', columns: ['a b'], format: 'JSONEachRow', bytes: Buffer.from('{}\n') })).rejects.toThrow(/invalid identifier/)
    await store.close()
  })
})
