import { Agent, request } from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startCollector, type TestCollector } from './helpers.js'

let t: TestCollector
let url: string
beforeAll(async () => {
  t = await startCollector()
  url = (await t.collector.listen(0)).url
})
afterAll(() => t.cleanup())

/** Status, the Keep-Alive header and the local port of the socket that carried the request. */
function get(agent: Agent, path: string): Promise<{ status: number; keepAlive: string | undefined; port: number }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { agent }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, keepAlive: res.headers['keep-alive'], port: req.socket?.localPort ?? -1 }))
    })
    req.on('error', reject)
    req.end()
  })
}

it('keeps an idle connection open longer than the idle timeouts of clients and load balancers', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    const first = await get(agent, '/healthz')
    expect(first.status).toBe(200)
    // The server says how long it keeps the connection; Node's own default would be 5 s.
    expect(first.keepAlive).toBe('timeout=65')
    const second = await get(agent, '/healthz')
    expect(second).toMatchObject({ status: 200, port: first.port })
  } finally {
    agent.destroy()
  }
})
