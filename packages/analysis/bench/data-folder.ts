import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { backfillActivityRollup } from '../src/rollup/backfill.js'
import { migrate, openStore, type Store } from '../src/store/index.js'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * An embedded store in a data folder kept between runs: generating millions of events costs
 * minutes, so a folder whose marker (the generated shape) matches is reused as it is, and any
 * other is emptied first. `markLoaded` records the marker once the data is complete, so an
 * interrupted load is generated again.
 */
export async function openBenchData(dataDir: string, marker: string): Promise<{ store: Store; reuse: boolean; markLoaded: () => void }> {
  const markerFile = join(dataDir, 'bench-shape.json')
  const reuse = existsSync(markerFile) && readFileSync(markerFile, 'utf8') === marker
  if (!reuse) rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  const store = openStore({ kind: 'embedded', path: dataDir })
  await migrate(store)
  // A kept folder from before a migration that rebuilds the rollup gets it whole again first.
  const t0 = Date.now()
  const { projects } = await backfillActivityRollup(store)
  if (projects) console.log(`background job (activity rollup and the tables beside it) done for ${projects} project(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  return { store, reuse, markLoaded: () => writeFileSync(markerFile, marker) }
}

/** Writes a benchmark's result to bench-results/<file> at the repository root, where bench-summary reads it. */
export function writeBenchResult(file: string, result: unknown): void {
  mkdirSync(join(REPO_ROOT, 'bench-results'), { recursive: true })
  writeFileSync(join(REPO_ROOT, 'bench-results', file), JSON.stringify(result, null, 2) + '\n')
}
