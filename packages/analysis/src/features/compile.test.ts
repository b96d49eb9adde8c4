import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Params } from '../sql/params.js'
import { openTestStore } from '../testing/store.js'
import { insertFixtureEvents, type FixtureEvent } from '../retention/__fixtures__/events.js'
import { compileRules, compileRulesIndexed } from './compile.js'
import { FeatureRule } from './rules.js'

let t: Awaited<ReturnType<typeof openTestStore>>

// Each event's user names it; the tests ask which events a rule matches.
const events: FixtureEvent[] = [
  {
    user: 'export-span',
    at: '2024-01-01T10:00:00Z',
    path: '/reports/42',
    featureKey: 'export',
    elements: [
      { tag: 'span', text: 'Export CSV' },
      { tag: 'button', id: 'export', classes: ['btn', 'primary'], attrs: { 'data-feature': 'export', type: 'button' } },
      { tag: 'div', classes: ['toolbar'] },
      { tag: 'main' },
      { tag: 'body' },
    ],
  },
  {
    user: 'save-button',
    at: '2024-01-01T10:01:00Z',
    path: '/settings',
    elements: [
      { tag: 'button', classes: ['btn'], attrs: { type: 'submit', 'aria-label': '' }, text: 'Save' },
      { tag: 'form', id: 'profile' },
      { tag: 'div', classes: ['toolbar'] },
      { tag: 'body' },
    ],
  },
  { user: 'nav-link', at: '2024-01-01T10:02:00Z', path: '/projects/7/settings', elements: [{ tag: 'a', attrs: { href: '/x' }, text: 'Settings' }, { tag: 'nav', classes: ['menu'] }, { tag: 'body' }] },
  { user: 'custom', at: '2024-01-01T10:03:00Z', event: 'report_generated', path: '/reports/42' },
  { user: 'pageview', at: '2024-01-01T10:04:00Z', path: '/reports/42/' },
  { user: 'injection', at: '2024-01-01T10:05:00Z', elements: [{ tag: 'button', text: "x' OR 1=1 --" }] },
]

beforeAll(async () => {
  t = await openTestStore()
  await insertFixtureEvents(t.store.client, 'c1', events)
})
afterAll(async () => {
  await t?.cleanup()
})

/** Users whose events match, by the per-row condition and by the dictionary form, which must agree. */
async function matching(rules: unknown[]): Promise<string[]> {
  const parsed = FeatureRule.array().parse(rules)
  const run = async (indexed: boolean) => {
    const params = new Params('r')
    const cond = indexed ? compileRulesIndexed(parsed, params, '{project:String}') : compileRules(parsed, params)
    const rs = await t.store.client.query({
      query: `SELECT user_id FROM events WHERE project_id = {project:String} AND ${cond} ORDER BY user_id`,
      query_params: { ...params.values, project: 'c1' },
      format: 'JSONEachRow',
    })
    return (await rs.json<{ user_id: string }>()).map((r) => r.user_id)
  }
  const plain = await run(false)
  expect(await run(true)).toEqual(plain)
  return plain
}

describe('compiled feature rules in the engine', () => {
  it('matches a selector on the clicked element or any ancestor', async () => {
    expect(await matching([{ type: 'element', selector: 'button#export' }])).toEqual(['export-span'])
    expect(await matching([{ type: 'element', selector: '.btn' }])).toEqual(['export-span', 'save-button'])
    expect(await matching([{ type: 'element', selector: 'button.btn.primary' }])).toEqual(['export-span'])
    expect(await matching([{ type: 'element', selector: '[data-feature=export]' }])).toEqual(['export-span'])
    expect(await matching([{ type: 'element', selector: '[type]' }])).toEqual(['export-span', 'save-button'])
    expect(await matching([{ type: 'element', selector: '[aria-label=""]' }])).toEqual(['save-button'])
    expect(await matching([{ type: 'element', selector: '[id=profile]' }])).toEqual(['save-button'])
  })

  it('matches descendant chains in order only', async () => {
    expect(await matching([{ type: 'element', selector: '.toolbar button' }])).toEqual(['export-span', 'save-button'])
    expect(await matching([{ type: 'element', selector: 'form .toolbar' }])).toEqual([])
    expect(await matching([{ type: 'element', selector: '.toolbar form button' }])).toEqual(['save-button'])
    expect(await matching([{ type: 'element', selector: 'body main .toolbar #export span' }])).toEqual(['export-span'])
    expect(await matching([{ type: 'element', selector: 'nav.menu a' }])).toEqual(['nav-link'])
    expect(await matching([{ type: 'element', selector: 'a nav' }])).toEqual([])
  })

  it('matches element text exactly or, ignoring case, as a substring, optionally with a selector', async () => {
    expect(await matching([{ type: 'element', text: 'Save' }])).toEqual(['save-button'])
    expect(await matching([{ type: 'element', text: 'export', textMatch: 'contains' }])).toEqual(['export-span'])
    expect(await matching([{ type: 'element', text: 'Export' }])).toEqual([])
    expect(await matching([{ type: 'element', selector: '.toolbar button', text: 'Save' }])).toEqual(['save-button'])
    expect(await matching([{ type: 'element', selector: 'span', text: 'Save' }])).toEqual([])
  })

  it('matches path patterns, custom events and data-feature keys, and ORs rules', async () => {
    expect(await matching([{ type: 'url', pattern: '/reports/:id' }])).toEqual(['custom', 'export-span', 'pageview'])
    expect(await matching([{ type: 'url', pattern: '/projects/*/settings' }])).toEqual(['nav-link'])
    expect(await matching([{ type: 'event', name: 'report_generated' }])).toEqual(['custom'])
    expect(await matching([{ type: 'feature_key', key: 'export' }])).toEqual(['export-span'])
    expect(
      await matching([
        { type: 'feature_key', key: 'export' },
        { type: 'element', text: 'Save' },
      ]),
    ).toEqual(['export-span', 'save-button'])
  })

  it('treats user text as values, never as SQL', async () => {
    expect(await matching([{ type: 'element', text: "x' OR 1=1 --" }])).toEqual(['injection'])
    expect(await matching([{ type: 'event', name: "' OR '1'='1" }])).toEqual([])
    expect(await matching([{ type: 'element', selector: '[data-x="\') OR 1=1 --"]' }])).toEqual([])
  })
})
