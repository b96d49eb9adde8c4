import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Code that runs for users (not tests or benchmarks): where configuration is read. */
const SOURCES = ['packages/collector/src', 'packages/dashboard/src', 'packages/analysis/src', 'packages/sdk-browser/src', 'examples/start.ts', 'examples/demo', 'examples/simulate', 'examples/scripts', 'scripts']
const SKIP = /(\.test\.tsx?|\/__fixtures__\/|\/testing\/)/

function files(path: string): string[] {
  const full = join(ROOT, path)
  if (!statSync(full).isDirectory()) return [full]
  return readdirSync(full, { recursive: true, encoding: 'utf8' }).map((f) => join(full, f)).filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !SKIP.test(f))
}

/** Every environment variable the code reads: `env.NAME`, `env['NAME']`, `process.env.NAME`. */
function variablesRead(): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of SOURCES.flatMap(files)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) {
      const name = m[1] ?? m[2]!
      if (!found.has(name)) found.set(name, relative(ROOT, file))
    }
  }
  return found
}

/** The names in backticks in the README's configuration table (the rows under "## Configuration"). */
function documented(): Set<string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5))
  const rows = section.split('\n').filter((l) => l.startsWith('| `'))
  const names = new Set<string>()
  for (const row of rows) {
    const first = row.split('|')[1]!
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1]!)
    // CLICKHOUSE_URL's row names its companions in the text.
    for (const m of row.matchAll(/`(CLICKHOUSE_[A-Z_]+)`/g)) names.add(m[1]!)
  }
  return names
}

describe('the README configuration table', () => {
  it('lists every environment variable the code reads, and none it does not', () => {
    const read = variablesRead()
    const table = documented()
    expect(read.size).toBeGreaterThan(20)
    const missing = [...read].filter(([name]) => !table.has(name)).map(([name, file]) => `${name} (read in ${file})`)
    expect(missing).toEqual([])
    const stale = [...table].filter((name) => !read.has(name))
    expect(stale).toEqual([])
  })
})
