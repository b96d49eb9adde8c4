// Load generator for the ingest benchmark, in its own thread so that building and sending
// requests does not take the collector's event loop. Plain JS: no loader needed in the worker.
import { parentPort, workerData } from 'node:worker_threads'
import { request, Agent } from 'node:http'
import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'

const { url, writeKey, ua } = workerData
const target = new URL('/v1/batch', url)

function event(i) {
  return {
    uuid: randomUUID(),
    event: i % 5 === 0 ? '$pageview' : '$click',
    timestamp: new Date().toISOString(),
    anonymous_id: `anon-${i % 5000}`,
    user_id: `user-${i % 3000}`,
    account_id: `acct-${i % 100}`,
    session_id: `s-${i % 700}`,
    url: 'https://app.example.com/reports/42?tab=summary',
    title: 'Reports',
    elements: [
      { tag: 'button', id: 'export', classes: ['btn', 'primary'], attrs: { 'data-feature': 'export' }, text: 'Export CSV', nth: 1 },
      { tag: 'div', classes: ['toolbar'], nth: 0 },
      { tag: 'main', nth: 0 },
    ],
    properties: { plan: 'pro', i },
  }
}

function bodies(batches, size, gzip) {
  const out = []
  let n = 0
  for (let b = 0; b < batches; b++) {
    const events = Array.from({ length: size }, () => event(n++))
    const text = JSON.stringify({ write_key: writeKey, sent_at: new Date().toISOString(), lib: 'bench', events })
    out.push(gzip ? gzipSync(text) : Buffer.from(text))
  }
  return out
}

function send(agent, body, gzip, t0 = performance.now()) {
  return new Promise((resolve) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'user-agent': ua,
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }))
      },
    )
    req.on('error', (err) => resolve({ ms: performance.now() - t0, status: 0, error: err.code ?? String(err) }))
    req.end(body)
  })
}

parentPort.once('message', async (job) => {
  const list = bodies(job.batches, job.size, job.gzip)
  parentPort.postMessage({ ready: true })
  await new Promise((r) => parentPort.once('message', r)) // go
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency })
  const results = new Array(list.length)
  const start = performance.now()
  if (job.mode === 'closed') {
    // A fixed number of requests in flight: the collector's maximum rate.
    let next = 0
    await Promise.all(
      Array.from({ length: job.concurrency }, async () => {
        while (next < list.length) {
          const i = next++
          results[i] = await send(agent, list[i], job.gzip)
        }
      }),
    )
  } else {
    // Requests at a fixed arrival rate regardless of answers: latency under a given load.
    const interval = 1000 / job.ratePerSec
    const pending = []
    for (let i = 0; i < list.length; i++) {
      const due = start + i * interval
      const wait = due - performance.now()
      if (wait > 1) await new Promise((r) => setTimeout(r, wait))
      // Latency counts from when the request was due, so a late sender does not hide queueing.
      pending.push(send(agent, list[i], job.gzip, due).then((r) => (results[i] = r)))
    }
    await Promise.all(pending)
  }
  const end = performance.now()
  agent.destroy()
  parentPort.postMessage({ done: true, results, elapsedMs: end - start })
})
