import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openStore } from '@tenure/analysis/store'
import { afterAll, describe, expect, it } from 'vitest'
import { sdkBatch, sdkEvent, BROWSER_UA } from './helpers.js'

const pkg = resolve(fileURLToPath(new URL('..', import.meta.url)))
const dir = mkdtempSync(join(tmpdir(), 'tenure-crash-'))
const keys = { TENURE_WRITE_KEY: 'wk_crash_test', TENURE_SECRET_KEY: 'sk_crash_test' }
const children: ChildProcess[] = []

/**
 * Starts the collector's entry (src/server.ts under tsx) on an ephemeral port; resolves with its URL
 * once it listens. `node --import tsx` keeps it one process: the `tsx` command would run the server
 * in a child of its own, and a kill -9 of the command would leave the server running.
 */
function startServer(extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: pkg,
    env: { ...process.env, ...keys, TENURE_DATA_DIR: dir, PORT: '0', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  return new Promise((res, rej) => {
    let out = ''
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${out}`)), 30_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        res({ child, url: m[1]! })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    child.once('exit', (code) => rej(new Error(`server exited (${code}):\n${out}`)))
  })
}

const exited = (child: ChildProcess) =>
  new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())))

async function sendBatch(url: string, n: number): Promise<{ ok: boolean; uuids: string[] }> {
  const events = Array.from({ length: n }, () => sdkEvent({ anonymous_id: 'crash' }))
  try {
    const res = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
      body: JSON.stringify(sdkBatch(keys.TENURE_WRITE_KEY, events)),
    })
    return { ok: res.status === 200, uuids: events.map((e) => e.uuid as string) }
  } catch {
    return { ok: false, uuids: [] } // the connection died with the process
  }
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

describe('kill -9 after acknowledgement', () => {
  it('stores every acknowledged event after the collector is killed and restarted', async () => {
    // Inserts are held back for a minute, so acknowledged events exist only in the spool when the process dies.
    const first = await startServer({ TENURE_BATCH_DELAY_MS: '60000', TENURE_BATCH_ROWS: '1000000' })
    const acked: string[] = []
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all(Array.from({ length: 5 }, () => sendBatch(first.url, 50)))
      for (const r of results) {
        expect(r.ok).toBe(true)
        acked.push(...r.uuids)
      }
    }
    // And while requests are in flight: kill in the middle of a stream of batches.
    const inflight = Array.from({ length: 20 }, (_, i) =>
      new Promise((r) => setTimeout(r, i * 5)).then(() => sendBatch(first.url, 20)).then((r) => r.ok && acked.push(...r.uuids)),
    )
    await new Promise((r) => setTimeout(r, 40))
    first.child.kill('SIGKILL')
    await Promise.all(inflight)
    await exited(first.child)
    expect(first.child.signalCode).toBe('SIGKILL')
    expect(acked.length).toBeGreaterThanOrEqual(1000)

    const second = await startServer()
    const res = await fetch(`${second.url}/v1/events/count?flush=1`, { headers: { authorization: `Bearer ${keys.TENURE_SECRET_KEY}` } })
    expect(res.status).toBe(200)
    const { count } = (await res.json()) as { count: number }
    expect(count).toBeGreaterThanOrEqual(acked.length)
    second.child.kill('SIGTERM')
    await exited(second.child)
    expect(second.child.exitCode).toBe(0)

    // With the process gone, open its data folder and check each acknowledged id.
    const store = openStore({ kind: 'embedded', path: dir })
    try {
      const rs = await store.client.query({ query: "SELECT toString(uuid) AS uuid FROM events FINAL WHERE project_id = 'default'", format: 'JSONEachRow' })
      const stored = new Set((await rs.json<{ uuid: string }>()).map((r) => r.uuid))
      const missing = acked.filter((u) => !stored.has(u))
      expect(missing).toEqual([])
      expect(stored.size).toBe(count)
    } finally {
      await store.close()
    }
  })
})
