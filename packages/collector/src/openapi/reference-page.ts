import type { OpenApiDocument } from './document.js'

/**
 * The API reference as one HTML page, rendered on the server from the OpenAPI document: no
 * script, no fonts or styles from elsewhere, so it reads the same offline and behind a strict
 * proxy. Every operation has an anchor (its operationId) and is listed in the contents.
 */

interface Schema {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  default?: unknown
  pattern?: string
  format?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  description?: string
  $ref?: string
  properties?: Record<string, Schema>
  required?: string[]
}

interface Parameter {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: Schema
  explode?: boolean
}

interface Operation {
  operationId?: string
  summary?: string
  description?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  parameters?: Parameter[]
  requestBody?: { description?: string; content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

const esc = (s: unknown) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** The few inline marks the descriptions use: `code` and **bold**. */
const prose = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')

const range = (lo: number | undefined, hi: number | undefined, unit = '') => {
  if (lo !== undefined && hi !== undefined) return `${lo}–${hi}${unit}`
  if (lo !== undefined) return `≥ ${lo}${unit}`
  if (hi !== undefined) return `≤ ${hi}${unit}`
  return ''
}

/** A schema in a few words: `integer, 1–90, default 7`; `one of on, on_or_after`. */
export function schemaSummary(s: Schema | undefined, comma = false): string {
  if (!s) return 'any'
  if (s.$ref) return s.$ref.split('/').pop()!
  const alts = s.anyOf ?? s.oneOf
  // A tagged union reads best by its tags: `object with type element | url | event`.
  const tags = alts?.map((a) => a.properties?.type?.const)
  if (alts && tags!.every((t) => t !== undefined)) return `object with type ${tags!.map(String).join(' | ')}`
  if (alts) return alts.map((a) => schemaSummary(a)).join(' or ')
  if (s.allOf) return s.allOf.map((a) => schemaSummary(a)).join(' and ')
  const parts: string[] = []
  if (s.enum) parts.push(`one of ${s.enum.map((v) => String(v)).join(', ')}`)
  else if (s.const !== undefined) parts.push(`= ${String(s.const)}`)
  else {
    const type = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any')
    if (type === 'array') parts.push(`${comma ? 'comma-separated list' : 'array'} of ${schemaSummary(s.items)}`)
    else if (type === 'object' && s.description) parts.push(`object (${s.description})`)
    else parts.push(s.format ? `${type} (${s.format})` : type)
  }
  const numeric = range(s.minimum ?? s.exclusiveMinimum, s.maximum ?? s.exclusiveMaximum)
  if (numeric) parts.push(numeric)
  const length = range(s.minLength, s.maxLength, ' characters')
  if (length) parts.push(length)
  const items = range(s.minItems, s.maxItems, ' items')
  if (items) parts.push(items)
  if (s.pattern) parts.push(`matching ${s.pattern}`)
  if (s.default !== undefined) parts.push(`default ${Array.isArray(s.default) ? s.default.join(',') : JSON.stringify(s.default)}`)
  return parts.join(', ')
}

function securityText(doc: OpenApiDocument, op: Operation): string {
  const schemes = (doc.components?.securitySchemes ?? {}) as Record<string, { description?: string }>
  const options = op.security ?? []
  if (!options.length) return 'none'
  return options
    .map((o) => {
      const names = Object.keys(o)
      return names.length ? names.map((n) => `<span title="${esc(schemes[n]?.description ?? '')}">${esc(n)}</span>`).join(' + ') : 'no key header'
    })
    .join(' or ')
}

function parametersTable(params: Parameter[]): string {
  if (!params.length) return ''
  const rows = params
    .map(
      (p) =>
        `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <em>required</em>' : ''}</td><td>${esc(p.in)}</td><td>${esc(schemaSummary(p.schema, p.explode === false))}</td><td>${p.description ? prose(p.description) : ''}</td></tr>`,
    )
    .join('\n')
  return `<table><thead><tr><th>Parameter</th><th>In</th><th>Value</th><th>Meaning</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
}

/** An object's fields, one level deep; nested objects and arrays are summed up in a few words. */
function fieldsTable(s: Schema): string {
  const rows = Object.entries(s.properties ?? {})
    .map(
      ([name, f]) =>
        `<tr><td><code>${esc(name)}</code>${s.required?.includes(name) ? ' <em>required</em>' : ''}</td><td>${esc(schemaSummary(f))}</td><td>${f.description ? prose(f.description) : ''}</td></tr>`,
    )
    .join('\n')
  return rows ? `<table><thead><tr><th>Field</th><th>Value</th><th>Meaning</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : ''
}

function schemaBlock(schema: Schema | undefined): string {
  if (!schema) return ''
  const alts = (schema.anyOf ?? schema.oneOf ?? [schema]).filter((a) => a.properties)
  const tables = alts.map((a) => `${alts.length > 1 ? `<p>${esc(a.description ?? 'object')}:</p>` : ''}${fieldsTable(a)}`).join('')
  return `${tables}<details><summary>JSON schema: ${esc(schemaSummary(schema))}</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>`
}

function operationSection(doc: OpenApiDocument, path: string, method: string, op: Operation): string {
  const id = op.operationId ?? `${method}${path}`
  const body = op.requestBody
    ? `<h4>Body</h4>${op.requestBody.description ? `<p>${prose(op.requestBody.description)}</p>` : ''}${Object.entries(op.requestBody.content ?? {})
        .map(([media, c]) => `<p><code>${esc(media)}</code></p>${schemaBlock(c.schema)}`)
        .join('')}`
    : ''
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const schemas = Object.entries(r.content ?? {}).map(([media, c]) => `<code>${esc(media)}</code> ${c.schema ? esc(schemaSummary(c.schema)) : ''}`)
      return `<li><strong>${esc(status)}</strong> ${prose(r.description ?? '')}${schemas.length ? ` — ${schemas.join(', ')}` : ''}</li>`
    })
    .join('\n')
  return `<section id="${esc(id)}">
<h3><span class="m m-${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p class="summary">${prose(op.summary ?? '')}</p>
${op.description ? op.description.split(/\n{2,}/).map((p) => `<p>${prose(p)}</p>`).join('\n') : ''}
<p class="auth">Auth: ${securityText(doc, op)}</p>
${parametersTable(op.parameters ?? [])}
${body}
<h4>Answers</h4><ul>${responses}</ul>
</section>`
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:1rem 2rem;color:#1d232b}
code,pre{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}pre{background:#f4f6f8;padding:.6rem;overflow:auto;max-height:28rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #dde3e9;padding:.3rem .5rem;text-align:left;vertical-align:top}
section{border-top:1px solid #c9d2db;padding-top:.4rem;margin-top:1.2rem}h3{margin:.3rem 0}h4{margin:.6rem 0 .2rem}
.m{display:inline-block;min-width:4.2rem;font-size:12px;font-weight:700;color:#fff;border-radius:3px;padding:1px 6px;text-align:center}
.m-get{background:#2b6cb0}.m-post{background:#2f855a}.m-put{background:#b7791f}.m-delete{background:#c53030}.m-patch{background:#6b46c1}
.summary{font-weight:600}.auth{color:#4a5561}nav ul{columns:2}em{color:#a33;font-size:12px}`

export function renderReference(doc: OpenApiDocument): string {
  const ops: Array<{ tag: string; path: string; method: string; op: Operation }> = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method]
      if (op) ops.push({ tag: op.tags?.[0] ?? 'Other', path, method, op })
    }
  }
  const tags = [...(doc.tags ?? []).map((t) => t.name), ...new Set(ops.map((o) => o.tag))].filter((t, i, all) => all.indexOf(t) === i)
  const tagText = new Map((doc.tags ?? []).map((t) => [t.name, t.description ?? '']))
  const groups = tags.map((tag) => ({ tag, ops: ops.filter((o) => o.tag === tag) })).filter((g) => g.ops.length)
  const contents = groups
    .map((g) => `<li><a href="#tag-${esc(g.tag)}">${esc(g.tag)}</a> (${g.ops.length})</li>`)
    .join('\n')
  const body = groups
    .map(
      (g) =>
        `<h2 id="tag-${esc(g.tag)}">${esc(g.tag)}</h2>${tagText.get(g.tag) ? `<p>${prose(tagText.get(g.tag)!)}</p>` : ''}<ul>${g.ops
          .map((o) => `<li><a href="#${esc(o.op.operationId ?? '')}"><code>${esc(o.method.toUpperCase())} ${esc(o.path)}</code></a> ${prose(o.op.summary ?? '')}</li>`)
          .join('')}</ul>\n${g.ops.map((o) => operationSection(doc, o.path, o.method, o.op)).join('\n')}`,
    )
    .join('\n')
  const schemes = Object.entries((doc.components?.securitySchemes ?? {}) as Record<string, { description?: string }>)
    .map(([name, s]) => `<li><strong>${esc(name)}</strong>: ${prose(s.description ?? '')}</li>`)
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} — reference</title><style>${STYLE}</style></head>
<body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${prose(doc.info.description ?? '')}</p>
<p>The machine-readable document: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${esc(doc.openapi)}). ${ops.length} operations.</p>
<h2>Keys</h2><ul>${schemes}</ul>
<nav><h2>Contents</h2><ul>${contents}</ul></nav>
${body}
</body></html>
`
}
