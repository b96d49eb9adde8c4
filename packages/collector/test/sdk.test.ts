import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultConfig } from '../src/config.js'
import { handleError } from '../src/errors.js'
import { sdkRoutes } from '../src/routes/sdk.js'

const dir = mkdtempSync(join(tmpdir(), 'tenure-sdk-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const app = new Hono().onError(handleError).route('/', sdkRoutes({ config: { ...defaultConfig(dir), sdkDir: dir } }))
const get = (path: string, headers: Record<string, string> = {}) => Promise.resolve(app.request(path, { headers }))

describe('the collector hosts the built SDK', () => {
  it('answers 404 with the common error shape while the SDK is not built', async () => {
    const res = await get('/sdk/tenure.js')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toMatch(/pnpm build/)
  })

  it('serves the script and its nudge chunk under stable names with a short cache, ETag and CORS', async () => {
    writeFileSync(join(dir, 'tenure.js'), '/*core v1*/')
    writeFileSync(join(dir, 'tenure-nudges.js'), '/*nudges v1*/')
    for (const name of ['tenure.js', 'tenure-nudges.js']) {
      const res = await get(`/sdk/${name}`, { origin: 'https://app.example.com' })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/)
      expect(res.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate')
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      const etag = res.headers.get('etag')!
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/)
      const again = await get(`/sdk/${name}`, { 'if-none-match': etag })
      expect(again.status).toBe(304)
      expect(await again.text()).toBe('')
    }
    expect(await (await get('/sdk/tenure-nudges.js')).text()).toBe('/*nudges v1*/')
  })

  it('serves the same build under a content-hashed folder, immutable, and names it in the manifest', async () => {
    const manifest = (await (await get('/sdk/manifest.json')).json()) as { version: string; files: Record<string, { stable: string; immutable: string }> }
    expect(manifest.version).toMatch(/^[0-9a-f]{16}$/)
    expect(manifest.files['tenure-nudges.js']!.immutable).toBe(`/sdk/${manifest.version}/tenure-nudges.js`)
    const res = await get(`/sdk/${manifest.version}/tenure.js`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await res.text()).toBe('/*core v1*/')
    // The chunk is loaded from the script's own folder, so it is there too.
    expect((await get(`/sdk/${manifest.version}/tenure-nudges.js`)).status).toBe(200)
  })

  it('picks up a rebuild: new version, old hashed folder gone, new ETag', async () => {
    const before = (await (await get('/sdk/manifest.json')).json()) as { version: string }
    const oldEtag = (await get('/sdk/tenure-nudges.js')).headers.get('etag')
    writeFileSync(join(dir, 'tenure-nudges.js'), '/*nudges v2, longer*/')
    const after = (await (await get('/sdk/manifest.json')).json()) as { version: string }
    expect(after.version).not.toBe(before.version)
    expect((await get(`/sdk/${before.version}/tenure.js`)).status).toBe(404)
    const res = await get('/sdk/tenure-nudges.js', { 'if-none-match': oldEtag! })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('/*nudges v2, longer*/')
  })

  it('serves no other file name', async () => {
    writeFileSync(join(dir, 'secret.txt'), 'no')
    expect((await get('/sdk/secret.txt')).status).toBe(404)
    expect((await get('/sdk/..%2Fsecret.txt')).status).toBe(404)
    const m = (await (await get('/sdk/manifest.json')).json()) as { version: string }
    expect((await get(`/sdk/${m.version}/secret.txt`)).status).toBe(404)
  })
})
