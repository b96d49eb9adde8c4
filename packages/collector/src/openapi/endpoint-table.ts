import type { OpenApiDocument } from './document.js'

/**
 * The collector README's endpoint table, rendered from the OpenAPI document so that the README
 * lists every route the app serves (a test compares them; `scripts/readme-endpoints.ts` writes it).
 */
export const ENDPOINTS_START = '<!-- endpoints:start: generated from /openapi.json by scripts/readme-endpoints.ts -->'
export const ENDPOINTS_END = '<!-- endpoints:end -->'

interface Operation {
  summary?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  parameters?: Array<{ name: string; in: string; required?: boolean }>
}

const AUTH_TEXT: Record<string, string> = {
  secretKey: 'secret key',
  writeKey: 'write key (`?write_key=`)',
  segmentWriteKey: 'Basic auth or `writeKey`',
  metricsToken: 'metrics token',
}

function authText(security: Operation['security']): string {
  if (!security?.length) return 'none'
  const options = security.map((o) => (Object.keys(o).length ? Object.keys(o).map((k) => AUTH_TEXT[k] ?? k).join(' + ') : ''))
  // `{}` beside a scheme: the scheme is optional (or, for SDK batches, the key is in the body).
  const open = options.includes('')
  const named = options.filter(Boolean)
  if (named.includes(AUTH_TEXT.segmentWriteKey!)) return '`write_key` in the body (SDK), or Basic auth / `writeKey` (Segment)'
  return open ? `none, or ${named.join(' or ')}` : named.join(' or ')
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')

export function endpointTable(doc: OpenApiDocument): string {
  const rows: string[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => `\`${p.name}\`${p.required ? ' (required)' : ''}`)
      rows.push(`| \`${method.toUpperCase()} ${path}\` | ${cell(op.tags?.[0] ?? '')} | ${cell(authText(op.security))} | ${cell(op.summary ?? '')} | ${query.join(', ')} |`)
    }
  }
  return ['| Route | Area | Auth | What | Query parameters |', '|---|---|---|---|---|', ...rows].join('\n')
}

/** The README with its endpoints block replaced; throws when the markers are missing. */
export function withEndpointTable(readme: string, table: string): string {
  const a = readme.indexOf(ENDPOINTS_START)
  const b = readme.indexOf(ENDPOINTS_END)
  if (a < 0 || b < a) throw new Error(`the README has no ${ENDPOINTS_START} … ${ENDPOINTS_END} block`)
  return `${readme.slice(0, a + ENDPOINTS_START.length)}\n${table}\n${readme.slice(b)}`
}
