/**
 * Cost of element text tokens at ingest: CPU per event of `TextTokens` replacing the target's and
 * every chain element's text with HMAC-SHA256 tokens, for a typical click (a 12-element chain,
 * 4 texts) when the texts repeat (interface texts: the per-project cache answers) and when every
 * text is new (typed content: one HMAC each). Prints the figures.
 *
 *   npx tsx bench/text-tokens.bench.ts
 */
import { openTestStore } from '@tenure/analysis/testing'
import { TextTokens } from '../src/ingest/text-tokens.js'
import type { EventRow } from '../src/ingest/rows.js'

const EVENTS = 200_000
const DEPTH = 12

function row(i: number, unique: boolean): EventRow {
  const text = (n: number) => (unique ? `item ${i} number ${n}` : ['Clear completed', 'Active', 'All', 'Todos'][n % 4]!)
  const elements = Array.from({ length: DEPTH }, (_, d) => ({ tag: 'div', id: '', classes: ['c'], attrs: {}, text: d % 3 === 0 ? text(d) : '', nth: 1 }))
  return { element_text: elements[0]!.text, elements } as unknown as EventRow
}

async function main(): Promise<void> {
  const t = await openTestStore()
  try {
    const texts = new TextTokens(t.store.client)
    const apply = await texts.forProject('bench')
    for (const unique of [false, true]) {
      const rows = Array.from({ length: EVENTS }, (_, i) => row(i, unique))
      for (let i = 0; i < 2_000; i++) apply(row(-i, unique))
      const t0 = process.hrtime.bigint()
      for (const r of rows) apply(r)
      const ns = Number(process.hrtime.bigint() - t0) / EVENTS
      console.log(`${unique ? 'new texts (1 HMAC per text)' : 'repeated interface texts '}: ${(ns / 1000).toFixed(2)} µs per event (${DEPTH}-element chain, 4 texts)`)
    }
    console.log(`texts held in memory for the k check: ${texts.held}`)
    await texts.close()
  } finally {
    await t.cleanup()
  }
}

await main()
