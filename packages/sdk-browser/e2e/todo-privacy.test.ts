import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { compileRules, FeatureRule, Params, plainTextSql } from '@tenure/analysis'
import { launchChromium, startCollector, startGateway, startSite, until, type Gateway, type TestCollector } from './harness.js'
import { todoPage } from './todo-page.js'

const PEOPLE = 6
const K = 5
/** What each person types: only they have it. */
const typed = (i: number) => [`buy oat milk for zqx${i}granny`, `call dentist zqx${i} at noon`]
const ALL_TYPED = Array.from({ length: PEOPLE }, (_, i) => typed(i)).flat()
/** Interface texts every person clicks. */
const SHARED = ['Active', 'Completed', 'All', 'Clear completed (2)', 'Save view', 'Add']

let collector: TestCollector
let gateway: Gateway
let site: { url: string; close(): Promise<void> }
let browser: Browser
const spoolHits = new Set<string>()

function filesContaining(dir: string, needles: string[]): string[] {
  const hits: string[] = []
  const walk = (d: string) => {
    let names: string[] = []
    try {
      names = readdirSync(d)
    } catch {
      return
    }
    for (const f of names) {
      const p = join(d, f)
      try {
        if (statSync(p).isDirectory()) walk(p)
        else {
          const bytes = readFileSync(p)
          for (const n of needles) if (bytes.includes(n)) hits.push(`${p}: ${n}`)
        }
      } catch {
        // A file the engine removed meanwhile.
      }
    }
  }
  walk(dir)
  return hits
}

beforeAll(async () => {
  collector = await startCollector()
  gateway = await startGateway(collector.url)
  site = await startSite({ '/todo': todoPage({ gateway: gateway.url, writeKey: collector.writeKey }) })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await gateway?.close()
  await collector?.close()
})

async function personUsesTheApp(i: number): Promise<void> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${site.url}/todo`)
  await page.waitForFunction(() => typeof (window as unknown as { tenure?: { flush?: unknown } }).tenure?.flush === 'function')
  await page.evaluate((id) => (window as unknown as { tenure: { identify(u: string): void } }).tenure.identify(id), `person-${i}`)
  for (const item of typed(i)) {
    await page.fill('#new-todo', item)
    await page.click('#add')
  }
  // The framework ticks a hidden box from script, and a component re-dispatches a click.
  await page.evaluate(() => {
    ;(document.getElementById('framework-toggle') as HTMLInputElement).click()
    document.getElementById('add')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
  })
  for (const item of typed(i)) await page.click(`label.title:text-is("${item}")`)
  // Each toggle re-renders the list: find the next open item every time.
  for (let j = 0; j < typed(i).length; j++) await page.click('li:not(.completed) input.toggle')
  await page.click('#f-active')
  await page.click('#f-completed')
  await page.click('#f-all')
  await page.click('#save')
  await page.click('#clear')
  await page.evaluate(() => (window as unknown as { tenure: { flush(): Promise<void> } }).tenure.flush())
  await context.close()
}

describe('a to-do app: what people type never reaches storage in plain', () => {
  it('captures six people using the app', async () => {
    const { dataDir } = collector.collector.deps.config
    for (let i = 0; i < PEOPLE; i++) {
      await personUsesTheApp(i)
      // Accepted rows sit in the spool until the batcher inserts them.
      for (const hit of filesContaining(join(dataDir, 'spool'), ALL_TYPED)) spoolHits.add(hit)
    }
    const clicks = await until(async () => {
      const r = await collector.rows<{ n: string }>(`SELECT uniqExact(user_id) AS n FROM events FINAL WHERE event = '$click' AND user_id LIKE 'person-%'`)
      return Number(r[0]!.n) === PEOPLE ? r : null
    }, 'clicks of every person')
    expect(clicks).toHaveLength(1)
    await collector.collector.deps.ingest.flush()
    await collector.collector.deps.texts.check()
    expect([...spoolHits]).toEqual([])
  })

  it('leaves no typed item in plain in any table, the spool, or any file of the data folder', async () => {
    const client = collector.collector.deps.store.client
    const tables = await (
      await client.query({ query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('MaterializedView', 'View')`, format: 'JSONEachRow' })
    ).json<{ name: string }>()
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'element_chains', 'element_texts', 'element_text_people']))
    for (const { name } of tables) {
      if (!/^[a-z_0-9]+$/.test(name)) continue
      const text = await (await client.query({ query: `SELECT * FROM ${name}`, format: 'JSONEachRow' })).text()
      for (const item of ALL_TYPED) expect(text.includes(item), `${item} in table ${name}`).toBe(false)
    }
    await client.command({ query: 'OPTIMIZE TABLE events FINAL' })
    expect(filesContaining(collector.collector.deps.config.dataDir, ALL_TYPED)).toEqual([])
    // The search does see text in the engine's files: the public interface texts are there once
    // their table's parts are written out whole. Compression may turn any one text into a
    // back-reference to an earlier one ("Clear completed" after "Completed"), but not all of them.
    await client.command({ query: 'OPTIMIZE TABLE element_texts FINAL' })
    const published = await (await client.query({ query: `SELECT DISTINCT text FROM element_texts FINAL WHERE length(text) >= 5`, format: 'JSONEachRow' })).json<{ text: string }>()
    expect(published.length).toBeGreaterThan(1)
    expect(filesContaining(join(collector.collector.deps.config.dataDir, 'clickhouse'), published.map((p) => p.text)).length).toBeGreaterThan(0)
  })

  it('stores the shared interface texts in plain after k people, and text rules match every person, the first k−1 too', async () => {
    const client = collector.collector.deps.store.client
    const dict = (await (await client.query({ query: `SELECT DISTINCT text FROM element_texts`, format: 'JSONEachRow' })).json<{ text: string }>()).map((r) => r.text)
    expect(dict).toEqual(expect.arrayContaining(SHARED))
    for (const item of ALL_TYPED) expect(dict).not.toContain(item)
    const users = async (rule: unknown) => {
      const params = new Params('r')
      const cond = compileRules(FeatureRule.array().parse([rule]), params)
      const r = await collector.rows<{ user_id: string }>(
        `SELECT DISTINCT user_id FROM events FINAL WHERE project_id = {project:String} AND user_id != '' AND ${cond} ORDER BY user_id`,
        { ...params.values, project: 'default' },
      )
      return r.map((x) => x.user_id)
    }
    const everyone = Array.from({ length: PEOPLE }, (_, i) => `person-${i}`)
    expect(PEOPLE).toBeGreaterThan(K)
    expect(await users({ type: 'element', text: 'Clear completed (2)' })).toEqual(everyone)
    expect(await users({ type: 'element', text: 'clear completed', textMatch: 'contains' })).toEqual(everyone)
    expect(await users({ type: 'element', selector: 'a.filter', text: 'Active' })).toEqual(everyone)
    // A private item still matches by equality, for its one person only, and never by words in it.
    expect(await users({ type: 'element', text: typed(2)[0] })).toEqual(['person-2'])
    expect(await users({ type: 'element', text: 'dentist', textMatch: 'contains' })).toEqual([])
    // Readers show the public text, and a marker for the private items.
    const shown = await collector.rows<{ text: string; n: string }>(
      `SELECT ${plainTextSql('element_text', '{project:String}')} AS text, count() AS n FROM events FINAL
       WHERE project_id = {project:String} AND event = '$click' AND elements[1].tag = 'label' GROUP BY text ORDER BY text`,
      { project: 'default' },
    )
    expect(shown.map((r) => [r.text, Number(r.n)])).toEqual([['(private text)', PEOPLE * 2]])
  })

  it('stores no script-dispatched click, and keeps the label a button had when pressed', async () => {
    const scripted = await collector.rows<{ n: string }>(
      `SELECT count() AS n FROM events FINAL WHERE arrayExists(e -> e.id = 'framework-toggle', elements)`,
    )
    expect(Number(scripted[0]!.n)).toBe(0)
    // Two real clicks on Add per person, each submitting the form; the script's click on Add, and the submit it set off, are not stored.
    const adds = await collector.rows<{ event: string; n: string }>(
      `SELECT event, count() AS n FROM events FINAL WHERE event IN ('$click', '$submit') AND (elements[1].id = 'add' OR elements[1].id = 'new-form') GROUP BY event ORDER BY event`,
    )
    expect(adds.map((r) => [r.event, Number(r.n)])).toEqual([['$click', PEOPLE * 2], ['$submit', PEOPLE * 2]])
    const saves = await collector.rows<{ text: string }>(
      `SELECT ${plainTextSql('element_text', '{project:String}')} AS text FROM events FINAL WHERE project_id = {project:String} AND event = '$click' AND elements[1].id = 'save'`,
      { project: 'default' },
    )
    expect(saves.map((r) => r.text)).toEqual(Array(PEOPLE).fill('Save view'))
    const rage = await collector.rows<{ n: string }>(`SELECT count() AS n FROM events FINAL WHERE event = '$rageclick'`)
    expect(Number(rage[0]!.n)).toBe(0)
  })
})
