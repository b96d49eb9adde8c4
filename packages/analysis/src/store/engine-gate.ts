/**
 * A gate that lets at most `slots` calls run at once; the others wait their turn in order.
 */
export function gate(slots: number): <T>(call: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: (() => void)[] = []
  return async (call) => {
    if (active < slots) active++
    else await new Promise<void>((resume) => waiting.push(resume))
    try {
      return await call()
    } finally {
      // The slot passes to the next caller in line, or is freed.
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}

/**
 * How many calls may be inside the embedded engine at once. Each holds a thread of Node's libuv
 * pool (four by default) until the engine answers: more in flight would take the threads that
 * spool writes, fsyncs and file reads need, and hold back ingestion's answers for as long as a
 * report runs. Two leave two threads free, and reports measured no slower with two.
 */
export const ENGINE_SLOTS = 2
