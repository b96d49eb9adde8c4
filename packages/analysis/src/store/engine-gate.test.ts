import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { ENGINE_SLOTS, gate } from './engine-gate.js'

describe('gate', () => {
  it('runs at most `slots` calls at once, the rest in order, and frees a slot when a call fails', async () => {
    const enter = gate(2)
    let running = 0
    let most = 0
    const order: number[] = []
    const call = (i: number, fail = false) =>
      enter(async () => {
        running++
        most = Math.max(most, running)
        await new Promise((r) => setTimeout(r, 5))
        running--
        order.push(i)
        if (fail) throw new Error(`call ${i}`)
        return i
      })
    const results = await Promise.allSettled([call(0), call(1, true), call(2), call(3), call(4)])
    expect(most).toBe(2)
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'])
    expect(order.slice(2).sort()).toEqual([2, 3, 4])
  })
})

/**
 * Queries to the embedded engine each hold a thread of Node's libuv pool (four) until they are
 * answered; the spool's writes need one of those threads too. However many reports run, a file
 * read still gets a thread.
 */
describe('the embedded store and file I/O', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  beforeAll(async () => {
    t = await openTestStore()
  })
  afterAll(() => t.cleanup())

  it('leaves the pool threads that file I/O needs while many queries wait', async () => {
    let answered = 0
    // Each query takes a few hundred milliseconds, far longer than reading a small file.
    const query = () =>
      t.store.client.query({ query: 'SELECT sum(cityHash64(number)) AS s FROM numbers(1000000000)', format: 'JSONEachRow' }).then((r) => r.json()).then(() => answered++)
    const queries = Promise.all(Array.from({ length: 3 * ENGINE_SLOTS }, query))
    // Let the queries take their places first.
    await new Promise((r) => setTimeout(r, 20))
    await readFile(new URL(import.meta.url))
    const answeredAtRead = answered
    await queries
    // Read at once, not after a query made room in the pool.
    expect(answeredAtRead).toBe(0)
    expect(answered).toBe(3 * ENGINE_SLOTS)
  })
})
