import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// `pnpm exec tenure` from the repository root runs the root's node_modules/.bin/tenure, which
// pnpm links from this package's `bin` (the root lists @tenure/analysis as a dev dependency).
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url))
const BIN = join(ROOT, 'node_modules', '.bin', 'tenure')
const dir = mkdtempSync(join(tmpdir(), 'tenure-bin-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function tenure(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1', TENURE_URL: '', TENURE_SECRET_KEY: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

describe('the tenure command, as the root installs it', () => {
  it('is linked at the root from the package bin', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/analysis/package.json'), 'utf8')) as { bin: Record<string, string> }
    expect(pkg.bin.tenure).toBe('src/cli.ts')
    expect(readFileSync(join(ROOT, 'packages/analysis', pkg.bin.tenure!), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env tsx')
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
    expect(root.devDependencies['@tenure/analysis']).toBe('workspace:*')
    expect(existsSync(BIN)).toBe(true)
  })

  it('lists its reports with --help and exits 0', async () => {
    const r = await tenure('report', '--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: tenure report <command>/)
    for (const name of ['retention', 'high-retention', 'health', 'seat-sharing']) expect(r.stdout).toContain(`  ${name} `)
  }, 60_000)

  it('says in words which flag is missing, exit 2, with no schema dump', async () => {
    const r = await tenure('report', 'retention', '--to', '2026-01-31', '--data-dir', dir, '--project', 'p1')
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('--from is required (tenure report retention --help lists its options)\n')
  }, 120_000)

  it('says in words what is wrong with a value', async () => {
    const r = await tenure('report', 'high-retention', '--from', '2026-01-01', '--to', '2026-01-31', '--n', 'many', '--data-dir', dir, '--project', 'p1')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('--n must be a number\n')
    expect(r.stderr).not.toMatch(/Invalid input|ZodError|"code"|received/)
  }, 120_000)

  it('answers a bare call with its usage, exit 2', async () => {
    const r = await tenure()
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^usage: tenure report <command>/)
  }, 60_000)
})
