import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

export interface DemoKeys {
  writeKey: string
  secretKey: string
}

export const DEFAULT_WRITE_KEY = 'demo-write-key'

/**
 * The demo project's keys: from TENURE_WRITE_KEY / TENURE_SECRET_KEY when set, else a fixed write
 * key (it is public anyway: it sits in every page) and a secret made on first start and kept in
 * the data folder, readable by its owner only, so it can be printed again on every start.
 */
export function demoKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): DemoKeys {
  const file = join(dataDir, 'demo-keys.json')
  let saved: Partial<DemoKeys> = {}
  if (existsSync(file)) saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoKeys>
  const keys: DemoKeys = {
    writeKey: env.TENURE_WRITE_KEY || saved.writeKey || DEFAULT_WRITE_KEY,
    secretKey: env.TENURE_SECRET_KEY || saved.secretKey || `sk_demo_${randomBytes(18).toString('base64url')}`,
  }
  if (!env.TENURE_WRITE_KEY && !env.TENURE_SECRET_KEY && (saved.writeKey !== keys.writeKey || saved.secretKey !== keys.secretKey)) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 })
  }
  return keys
}
