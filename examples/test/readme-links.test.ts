import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Every Markdown file the repository holds (tracked by git), e.g. README.md, IMPORT.md, ARCHITECTURE.md. */
function markdownFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '*.md', '**/*.md'], { cwd: ROOT, encoding: 'utf8' })
  return [...new Set(out.split('\n').filter(Boolean))].filter((f) => !f.includes('node_modules/')).sort()
}

/** Link targets outside code blocks and code spans: `[text](target)` and `<img src="target">`. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '')
  const found: string[] = []
  for (const m of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push(m[1]!)
  for (const m of prose.matchAll(/<img[^>]+src="([^"]+)"/g)) found.push(m[1]!)
  return found
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>()
  const prose = markdown.replace(/```[\s\S]*?```/g, '')
  for (const m of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = m[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    out.add(text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'))
  }
  return out
}

describe('relative links in the Markdown files', () => {
  const files = markdownFiles()

  it('covers the READMEs, IMPORT.md and ARCHITECTURE.md', () => {
    for (const f of ['README.md', 'ARCHITECTURE.md', 'packages/collector/README.md', 'packages/analysis/README.md', 'packages/analysis/src/accounts/IMPORT.md', 'packages/sdk-browser/README.md']) {
      expect(files).toContain(f)
    }
  })

  it('point at files and headings that exist', () => {
    const broken: string[] = []
    let checked = 0
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8')
      for (const target of links(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue // http:, mailto: …: not ours to check
        checked++
        const [pathPart, anchor] = target.split('#') as [string, string | undefined]
        const resolved = pathPart ? resolve(ROOT, dirname(file), decodeURIComponent(pathPart)) : join(ROOT, file)
        if (!resolved.startsWith(ROOT) || !existsSync(resolved)) {
          broken.push(`${file}: ${target} (no ${relative(ROOT, resolved)})`)
          continue
        }
        if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor)) {
          broken.push(`${file}: ${target} (no heading #${anchor} in ${relative(ROOT, resolved)})`)
        }
      }
    }
    expect(broken).toEqual([])
    expect(checked).toBeGreaterThan(15)
  })
})

describe('the root README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

  it('opens with exactly two commands: install and start, install and test', () => {
    const firstBlock = /```(?:sh|bash)?\n([\s\S]*?)```/.exec(readme)
    expect(firstBlock).not.toBeNull()
    // The block comes before the first section: it is on the first screen.
    expect(readme.indexOf(firstBlock![0])).toBeLessThan(readme.indexOf('\n## '))
    const commands = firstBlock![1]!.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean)
    expect(commands).toEqual(['npx -y pnpm@10 install && npx -y pnpm@10 start', 'npx -y pnpm@10 install && npx -y pnpm@10 test'])
  })

  it('links the collector endpoints, the API reference, IMPORT.md, the dashboard README and the analysis README', () => {
    const targets = links(readme)
    expect(targets).toContain('packages/collector/README.md#endpoints')
    expect(targets).toContain('packages/analysis/src/accounts/IMPORT.md')
    expect(targets).toContain('packages/dashboard/README.md')
    expect(targets).toContain('packages/analysis/README.md')
    expect(readme).toContain('/docs/api')
    expect(readme).toContain('/openapi.json')
  })
})
