import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'

/** Name and nice value of each thread of this process, by thread id (Linux `/proc`). */
function threads(): Map<number, { name: string; nice: number }> {
  const out = new Map<number, { name: string; nice: number }>()
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      // Fields after the command name, which may hold spaces: state is the first, nice the 17th.
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
      out.set(Number(tid), { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), nice })
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out
}

/**
 * The embedded engine shares the process's cores with the event loop that answers requests: its
 * threads run at a low priority. Node's own threads (the event loop, the pool that writes the
 * spool and inflates bodies) lend themselves to a query at most, and get their priority back after.
 */
describe('embedded engine priority', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  beforeAll(async () => {
    t = await openTestStore()
  })
  afterAll(() => t.cleanup())

  it('runs a query on threads at nice 10 and leaves Node\'s threads at their own priority', async () => {
    const before = threads()
    const main = before.get(process.pid)!
    const niced = new Set<number>()
    const sample = setInterval(() => {
      for (const [tid, t] of threads()) if (t.nice !== before.get(tid)?.nice) niced.add(t.nice)
    }, 2)
    const rs = await t.store.client.query({ query: 'SELECT sum(cityHash64(number)) AS s FROM numbers(60000000)', format: 'JSONEachRow' })
    await rs.json()
    clearInterval(sample)
    expect([...niced]).toEqual([10])
    expect(threads().get(process.pid)!.nice).toBe(0)
    // Threads the engine did not start keep Node's names; none of them stays lowered.
    const node = new Set([main.name, 'node', 'libuv-worker'])
    expect([...threads().values()].filter((t) => t.nice === 10 && (node.has(t.name) || t.name.startsWith('V8 ')))).toEqual([])
  })
})
