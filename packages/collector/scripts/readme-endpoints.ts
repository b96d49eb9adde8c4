/**
 * Rewrites the endpoint table of packages/collector/README.md from the OpenAPI document of the
 * current routes: `npx tsx scripts/readme-endpoints.ts` in packages/collector. A test fails when
 * the README's table and the routes differ.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCollector } from '../src/index.js'
import type { OpenApiDocument } from '../src/openapi/document.js'
import { endpointTable, withEndpointTable } from '../src/openapi/endpoint-table.js'

const README = fileURLToPath(new URL('../README.md', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'tenure-readme-endpoints-'))
const collector = await createCollector({ dataDir: dir, env: {} })
try {
  const doc = (await (await collector.app.request('/openapi.json')).json()) as OpenApiDocument
  const readme = readFileSync(README, 'utf8')
  const next = withEndpointTable(readme, endpointTable(doc))
  if (next !== readme) writeFileSync(README, next)
  console.log(next === readme ? 'README.md: endpoint table already current' : 'README.md: endpoint table rewritten')
} finally {
  await collector.close()
  rmSync(dir, { recursive: true, force: true })
}
