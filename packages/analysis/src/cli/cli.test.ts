import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '../features/store.js'
import { insertFixtureEvents, utc, type FixtureEvent } from '../retention/__fixtures__/events.js'
import { openTestStore } from '../testing/store.js'
import { registerAllCommands } from './commands.js'
import { directContext, httpContext, httpApi } from './context.js'
import { renderCsv, renderTable } from './format.js'
import { main } from './main.js'
import { reportCommand, reportCommands } from './registry.js'

let t: Awaited<ReturnType<typeof openTestStore>>
registerAllCommands()

beforeAll(async () => {
  t = await openTestStore()
  const c = t.store.client
  await createFeature(c, 'cli', { id: 'export', name: 'Export', rules: [{ type: 'feature_key', key: 'export' }] })
  const ev: FixtureEvent[] = []
  for (let i = 0; i < 4; i++) {
    ev.push({ user: `u${i}`, at: utc('2024-01-01', 0) })
    if (i < 2) ev.push({ user: `u${i}`, at: utc('2024-01-01', 1), featureKey: 'export', elements: [{ tag: 'button', text: 'Export' }] })
    if (i < 3) ev.push({ user: `u${i}`, at: utc('2024-01-01', 7) })
  }
  await insertFixtureEvents(c, 'cli', ev)
})
afterAll(async () => {
  await t?.cleanup()
})

const run = (name: string, argv: string[], format: 'table' | 'csv' | 'json' = 'table') =>
  reportCommand(name)!.run(argv, directContext(t.store.client, 'cli', format))

describe('tenure report', () => {
  it('registers every command once, including other modules’ commands', () => {
    const names = reportCommands().map((c) => c.name)
    expect(names).toEqual(expect.arrayContaining(['retention', 'feature-retention', 'high-retention', 'aha', 'features', 'account-features', 'renewals']))
    expect(new Set(names).size).toBe(names.length)
  })

  it('prints retention as a table, CSV and JSON with counts beside rates', async () => {
    const args = ['--from', '2024-01-01', '--to', '2024-01-07', '--n', '1,7', '--as-of', '2024-02-01', '--cohort', 'day']
    const table = await run('retention', args)
    expect(table).toContain('2024-01-01')
    expect(table).toContain('75.0% (3/4)')
    expect(table).toContain('50.0% (2/4)')
    const csv = await run('retention', args, 'csv')
    expect(csv.split('\n')[0]).toBe('cohort,size,n,eligible,censored,retained,rate,low,high')
    expect(csv).toContain('2024-01-01,4,7,4,0,3,0.75,')
    const json = JSON.parse(await run('retention', args, 'json'))
    expect(json.total.cells[1]).toMatchObject({ n: 7, eligible: 4, retained: 3 })
  })

  it('restricts a report to a segment with --segment-def', async () => {
    // Used Export within their first 2 days: u0 and u1, both back on day 7 → 2/2 (everyone: 3/4).
    const def = JSON.stringify({ conditions: [{ type: 'used_feature', feature: 'export', withinDays: 2 }] })
    const args = ['--from', '2024-01-01', '--to', '2024-01-07', '--n', '7', '--as-of', '2024-02-01', '--cohort', 'day', '--segment-def', def]
    const json = JSON.parse(await run('retention', args, 'json'))
    expect(json.total.cells[0]).toMatchObject({ n: 7, eligible: 2, retained: 2 })
    expect(json.segment.definition.conditions[0]).toMatchObject({ type: 'used_feature', feature: 'export' })
  })

  it('breaks retention down by a property with retention-by', async () => {
    // Everyone landed on "/": one group, the same 3 of 4 back on day 7 as everyone.
    const args = ['--breakdown', 'first.landing_path', '--from', '2024-01-01', '--to', '2024-01-07', '--n', '7', '--min-n', '1', '--as-of', '2024-02-01']
    const table = await run('retention-by', args)
    expect(table).toContain('Retention by first.landing_path')
    expect(table.split('\n').filter((l) => l.includes('75.0% (3/4)'))).toHaveLength(2)
    const json = JSON.parse(await run('retention-by', args, 'json'))
    expect(json.groups.map((g: { value: string; status: string }) => [g.value, g.status])).toEqual([['/', 'ok']])
    // The same group's feature retention: 2 of 4 adopted Export, both back 6 days later.
    const fr = JSON.parse(await run('feature-retention-by', ['--breakdown', 'first.landing_path', '--from', '2024-01-01', '--to', '2024-01-31', '--n', '6', '--return', 'any', '--min-n', '1', '--as-of', '2024-02-01'], 'json'))
    expect(fr.groups[0].report.features[0]).toMatchObject({ featureId: 'export', activeUsers: 4, adopters: 2 })
    expect(fr.groups[0].report.features[0].cells[0]).toMatchObject({ eligible: 2, retained: 2 })
  })

  it('runs the feature reports and manages features', async () => {
    const fr = JSON.parse(await run('feature-retention', ['--from', '2024-01-01', '--to', '2024-01-31', '--n', '6', '--as-of', '2024-02-01', '--return', 'any'], 'json'))
    expect(fr.features[0]).toMatchObject({ featureId: 'export', adopters: 2, activeUsers: 4 })
    expect(fr.features[0].cells[0]).toMatchObject({ eligible: 2, retained: 2 })
    const hr = await run('high-retention', ['--from', '2024-01-01', '--to', '2024-01-31', '--n', '7', '--min-n', '2', '--as-of', '2024-02-01'])
    expect(hr).toContain('Association, not proof of cause')
    expect(hr).toMatch(/Adjustment: Doubly robust \(AIPW\)/)
    expect(hr).toMatch(/Covariates: active days in the window \(exact\)/)
    expect(hr).toContain('E-value (limit)')
    expect(hr).toMatch(/Export .*100\.0% \(2\/2\)/)
    const aha = await run('aha', ['--feature', 'export', '--from', '2024-01-01', '--to', '2024-01-31', '--n', '7', '--max-uses', '2', '--as-of', '2024-02-01'], 'csv')
    expect(aha.split('\n')).toEqual(['uses,or_more,users,retained,rate,low,high', expect.stringMatching(/^0,no,2,1,0.5,/), expect.stringMatching(/^1,no,2,2,1,/), '2,yes,0,0,,,'])

    const created = await run('features', ['create', '--id', 'save', '--name', 'Save', '--rule', '{"type":"element","text":"Save"}'], 'json')
    expect(JSON.parse(created)[0]).toMatchObject({ id: 'save', version: 1 })
    expect(await run('features', ['list'])).toMatch(/export\s+Export\s+1/)
    await expect(run('features', ['create', '--name', 'x', '--rule', '{"type":"element","selector":"a:hover"}'])).rejects.toMatchObject({
      name: 'AnalysisError',
    })
    await expect(run('features', ['create', '--name', 'x', '--rule', 'nope'])).rejects.toMatchObject({ exitCode: 2 })
    expect(await run('features', ['delete', 'save'])).toBe('deleted save')
  })

  it('explains what is missing and refuses unknown commands', async () => {
    const lines: string[] = []
    const io = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) }
    expect(await main(['report'], {}, io)).toBe(2)
    expect(lines.join('\n')).toContain('high-retention')
    expect(await main(['report', 'nope'], {}, io)).toBe(2)
    expect(await main(['report', 'retention', '--from', '2024-01-01'], {}, io)).toBe(2)
    expect(lines.at(-1)).toContain('--url and --secret')
    expect(await main(['report', 'retention', '--help'], {}, io)).toBe(0)
    expect(lines.at(-1)).toContain('--start-feature')
    expect(await main(['report', 'retention', '--url', 'http://localhost:1', '--format', 'xml'], {}, io)).toBe(2)
  })

  it('reports an unreachable collector and says which commands need the data folder', async () => {
    const ctx = httpContext(httpApi('http://127.0.0.1:9', 'sk'), 'table')
    await expect(reportCommand('retention')!.run(['--from', '2024-01-01', '--to', '2024-01-02'], ctx)).rejects.toThrow('cannot reach')
    expect(() => ctx.client).toThrow('--data-dir')
  })

  it('formats tables and CSV', () => {
    const tbl = { columns: ['name', 'n'], rows: [['a, "b"', 1.23456789], ['c', null]] as (string | number | null)[][] }
    expect(renderCsv(tbl)).toBe('name,n\n"a, ""b""",1.23456789\nc,')
    expect(renderTable(tbl)).toBe('name         n\n------  ------\na, "b"  1.2346\nc')
    // Text that a spreadsheet would run as a formula is neutralised unless it is a plain number.
    expect(renderCsv({ columns: ['t'], rows: [["-1+cmd|' /C calc'!A0"], ['=1+1'], ['-12.5'], [-3]] })).toBe("t\n'-1+cmd|' /C calc'!A0\n'=1+1\n-12.5\n-3")
  })
})
