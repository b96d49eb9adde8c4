import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The files of the built SDK the collector hosts: the script tag and the chunks it loads by name. */
export const SDK_FILES = ['tenure.js', 'tenure-nudges.js'] as const
export type SdkFile = (typeof SDK_FILES)[number]

/** The SDK build of this checkout, next to the collector in the workspace. */
export const WORKSPACE_SDK_DIR = fileURLToPath(new URL('../../../sdk-browser/dist', import.meta.url))

export interface SdkBundle {
  /**
   * Content hash of all hosted files together. It names the immutable copies
   * (`/sdk/<version>/tenure.js`): the core loads its chunks from its own folder, so the script
   * and the chunks it loads always come from the same build.
   */
  version: string
  files: Map<SdkFile, { body: Uint8Array<ArrayBuffer>; etag: string }>
}

/**
 * Reads the built SDK, again only when a file changed on disk (a rebuild while the collector
 * runs is picked up on the next request). Null while `tenure.js` is not built.
 */
export function sdkBundleReader(dir: string): () => SdkBundle | null {
  let stamp = ''
  let bundle: SdkBundle | null = null
  return () => {
    const now = SDK_FILES.map((f) => fileStamp(join(dir, f))).join('|')
    if (now === stamp) return bundle
    stamp = now
    bundle = readBundle(dir)
    return bundle
  }
}

function fileStamp(path: string): string {
  try {
    const s = statSync(path)
    return `${s.size}:${s.mtimeMs}`
  } catch {
    return '-'
  }
}

function readBundle(dir: string): SdkBundle | null {
  const files = new Map<SdkFile, { body: Uint8Array<ArrayBuffer>; etag: string }>()
  const all = createHash('sha256')
  for (const name of SDK_FILES) {
    let body: Buffer
    try {
      body = readFileSync(join(dir, name))
    } catch {
      continue
    }
    const digest = createHash('sha256').update(body).digest('hex')
    all.update(`${name}:${digest}\n`)
    files.set(name, { body: Uint8Array.from(body), etag: `"${digest.slice(0, 32)}"` })
  }
  if (!files.has('tenure.js')) return null
  return { version: all.digest('hex').slice(0, 16), files }
}
