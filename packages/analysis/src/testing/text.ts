import type { ClickHouseClient } from '@clickhouse/client'
import { publishTexts, textKeyFor } from '../text/store.js'
import { textToken } from '../text/token.js'

interface TextRow {
  element_text?: string
  elements?: { text: string; attrs?: Record<string, string> }[]
}

/**
 * Stores fixture rows the way the collector does: element text as tokens of the project's key.
 * With `publish` (the default) the texts also go to the public dictionary, as if k people had
 * produced them, so tests of text rules see them in plain.
 */
export async function tokeniseFixtureRows<R extends TextRow>(client: ClickHouseClient, project: string, rows: R[], publish = true): Promise<R[]> {
  if (!rows.some((r) => r.element_text || r.elements?.some((e) => e.text || e.attrs?.['aria-label']))) return rows
  const key = await textKeyFor(client, project)
  const seen = new Map<string, string>()
  const tok = (text: string) => {
    const t = textToken(key, text)
    if (t) seen.set(t, text)
    return t
  }
  const out = rows.map((r) => ({
    ...r,
    ...(r.element_text !== undefined ? { element_text: tok(r.element_text) } : {}),
    ...(r.elements
      ? { elements: r.elements.map((e) => ({ ...e, text: tok(e.text), ...(e.attrs?.['aria-label'] ? { attrs: { ...e.attrs, 'aria-label': tok(e.attrs['aria-label']) } } : {}) })) }
      : {}),
  }))
  if (publish) await publishTexts(client, project, [...seen].map(([token, text]) => ({ token, text })))
  return out
}
