import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const EXAMPLES = fileURLToPath(new URL('..', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'tenure-start-'))

interface Started {
  child: ChildProcess
  output: () => string
  url: string
  secretKey: string
}

/** Runs start.ts on an ephemeral port and waits until it says it is ready. */
function start(): Promise<Started> {
  // As `pnpm start` runs it: one process with tsx as a loader, so Ctrl-C reaches start.ts itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'start.ts'], {
    cwd: EXAMPLES,
    // A smaller world than the default keeps the test quick; the code path is the same.
    env: { ...process.env, TENURE_DATA_DIR: dataDir, PORT: '0', TENURE_WRITE_KEY: '', TENURE_SECRET_KEY: '', TENURE_DEMO_USERS: '250', TENURE_DEMO_DAYS: '45' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start.ts not ready in time:\n${out}`)), 170_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`start.ts exited with ${code}:\n${out}`))
    })
    const poll = setInterval(() => {
      if (!out.includes('Ctrl-C stops.')) return
      clearInterval(poll)
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({
        child,
        output: () => out,
        url: /Dashboard\s+(http:\/\/[^/\s]+)/.exec(out)![1]!,
        secretKey: /Secret key\s+(\S+)/.exec(out)![1]!,
      })
    }, 100)
  })
}

function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.once('exit', (code) => resolve(code))
    s.child.kill('SIGINT')
  })
}

async function count(s: Started): Promise<number> {
  const res = await fetch(`${s.url}/v1/events/count`, { headers: { authorization: `Bearer ${s.secretKey}` } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { count: number }).count
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('start.ts (the README’s start command)', () => {
  let loaded = 0
  let secret = ''

  it('starts, loads the simulated history through ingestion, serves the demo app, and stops on Ctrl-C', async () => {
    const s = await start()
    try {
      const m = /loaded (\d+) simulated events/.exec(s.output())
      expect(m).not.toBeNull()
      loaded = Number(m![1])
      expect(loaded).toBeGreaterThan(10_000)
      expect(await count(s)).toBe(loaded)

      const page = await fetch(`${s.url}/demo/`)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('data-key="demo-write-key"')
      expect(html).toContain('src="/sdk/tenure.js"')
      const sdk = await fetch(`${s.url}/sdk/tenure.js`)
      expect(sdk.status).toBe(200)
      expect((await sdk.text()).length).toBeGreaterThan(1000)
      // The nudge chunk the script loads by name sits beside it.
      const chunk = await fetch(`${s.url}/sdk/tenure-nudges.js`)
      expect(chunk.status).toBe(200)
      expect(chunk.headers.get('access-control-allow-origin')).toBe('*')
      expect((await fetch(`${s.url}/demo/..%2Fstart.ts`)).status).toBe(404)
      secret = s.secretKey
      expect(secret).toMatch(/^sk_demo_/)
    } finally {
      expect(await stop(s)).toBe(0)
    }
  }, 180_000)

  it('does not load the history twice and keeps the same secret key', async () => {
    const s = await start()
    try {
      expect(s.output()).toContain(`${loaded} events already stored`)
      expect(s.secretKey).toBe(secret)
      expect(await count(s)).toBe(loaded)
    } finally {
      expect(await stop(s)).toBe(0)
    }
  }, 180_000)
})
