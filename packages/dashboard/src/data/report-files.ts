import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { deserialize, serialize } from 'node:v8'

/** Days a kept report outlives its last write: reports of past days are not asked for again. */
const KEEP_DAYS = 8

/**
 * Computed reports kept in a folder, so that a restarted process serves the report it computed
 * before instead of computing it again while the first page waits. A report is found only under
 * its key, the version of the data it was computed from and the code that computed it: the
 * sources of `@tenure/analysis` (a new version of a report's code never serves an older result).
 * Written with V8's serializer, so what is read back is what was computed (NaN, undefined, Maps).
 */
export class ReportFiles {
  private readonly code: Promise<string>

  constructor(private readonly dir: string) {
    // Hashed from the start, not when the first report after a restart is looked up.
    this.code = analysisSourceHash()
    this.code.catch(() => {})
  }

  async read<T>(key: string, version: string): Promise<T | undefined> {
    try {
      const stored = deserialize(await readFile(this.fileOf(key))) as { key: string; version: string; code: string; value: T }
      return stored.key === key && stored.version === version && stored.code === (await this.code) ? stored.value : undefined
    } catch {
      // Not kept yet, or unreadable (an interrupted write is never renamed into place): computed again.
      return undefined
    }
  }

  async write(key: string, version: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const file = this.fileOf(key)
    const tmp = `${file}.${process.pid}.tmp`
    await writeFile(tmp, serialize({ key, version, code: await this.code, value }))
    await rename(tmp, file)
    await this.prune()
  }

  private fileOf(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.v8`)
  }

  private async prune(): Promise<void> {
    const cutoff = Date.now() - KEEP_DAYS * 86_400_000
    for (const name of await readdir(this.dir)) {
      const file = join(this.dir, name)
      const s = await stat(file).catch(() => null)
      if (s && s.mtimeMs < cutoff) await unlink(file).catch(() => {})
    }
  }
}

/** A hash of the analysis package's source files (names and contents): the code every kept report was computed by. */
async function analysisSourceHash(): Promise<string> {
  const root = dirname(createRequire(import.meta.url).resolve('@tenure/analysis'))
  const hash = createHash('sha256')
  const files = (await readdir(root, { recursive: true })).map(String).filter((f) => /\.(ts|js|sql)$/.test(f) && !/\.test\.ts$/.test(f)).sort()
  for (const f of files) hash.update(relative(root, join(root, f))).update('\0').update(await readFile(join(root, f))).update('\0')
  return hash.digest('hex')
}
