import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

// The CLI opening a data folder itself runs as its own process, as a user would run it.
const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'tenure-cli-'))
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'cli.ts'), 'report', ...args, '--data-dir', dir, '--project', 'p1'], {
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tenure report --data-dir', () => {
  it('opens and migrates a data folder, defines a feature and reports on it', async () => {
    const created = await cli('features', 'create', '--id', 'export', '--name', 'Export', '--rule', '{"type":"feature_key","key":"export"}', '--format', 'json')
    expect(JSON.parse(created.stdout)[0]).toMatchObject({ id: 'export', version: 1 })
    const report = await cli('high-retention', '--from', '2024-01-01', '--to', '2024-01-31', '--n', '7', '--format', 'csv')
    expect(report.stdout.split('\n')[0]).toMatch(/^feature_id,name,status,high_retention,n_adopters/)
    expect(report.stdout).toContain('export,Export,not_enough_data,no,0,0')
  }, 120_000)
})
