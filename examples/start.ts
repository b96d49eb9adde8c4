/**
 * The demo: `pnpm start` at the repository root. Starts the collector on the embedded engine,
 * loads simulated history once, serves the demo app and the dashboard, prints where they are.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCollector } from '@tenure/collector'
import { demoAssets, mountDemo } from './demo-app/serve.js'
import { demoKeys } from './demo/keys.js'
import { ensureDemoHistory } from './demo/history.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DEMO_EVENTS_PER_SECOND = 1_000_000

async function main(): Promise<void> {
  const env = process.env
  // An empty variable means unset, as for the other settings.
  const dataDir = resolve(ROOT, env.TENURE_DATA_DIR || '.tenure-data')
  const port = env.PORT ? Number(env.PORT) : 8787
  const host = env.HOST ?? '127.0.0.1'
  const keys = demoKeys(dataDir, env)
  const started = performance.now()

  const collector = await createCollector({
    dataDir,
    env: {
      ...env,
      TENURE_WRITE_KEY: keys.writeKey,
      TENURE_SECRET_KEY: keys.secretKey,
      TENURE_PROJECT_NAME: env.TENURE_PROJECT_NAME ?? 'Planboard (demo)',
      // The first start sends six months of history at once; live traffic never arrives like
      // that, so the demo lifts the per-key limit unless it is set.
      TENURE_RATE_LIMIT_EPS: env.TENURE_RATE_LIMIT_EPS || String(DEMO_EVENTS_PER_SECOND),
    },
  })
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping — pending events are written first …`)
    await collector.close().catch((err: unknown) => console.error(err))
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))

  const assets = demoAssets({ writeKey: keys.writeKey })
  mountDemo(collector.app, assets)

  const { url } = await collector.listen(port, host)
  const project = await collector.deps.projects.byWriteKey(keys.writeKey)
  if (!project) throw new Error('the demo project is missing after start')

  const history = await ensureDemoHistory({
    collector,
    url,
    writeKey: keys.writeKey,
    projectId: project.id,
    dataDir,
    log: (line) => console.log(line),
  })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const truth = history.groundTruth
  console.log(
    [
      '',
      `Tenure is running (${seconds} s) — data in ${dataDir}`,
      history.loaded ? `  loaded ${history.events} simulated events and the account book` : `  ${history.events} events already stored (history is loaded once)`,
      '',
      `  Dashboard     ${url}/app   (sign in with the secret key)`,
      `  Nudge         ${url}/app/nudges   (a draft is ready: start it, then sign in to the demo app as a new user)`,
      `  Demo app      ${url}/demo/${existsSync(join(collector.deps.config.sdkDir, 'tenure.js')) ? '' : '   (SDK not built: run `pnpm build` for capture)'}`,
      `  Ingestion     ${url}/v1/batch`,
      '',
      `  Write key     ${keys.writeKey}   (public: it is in the demo app's script tag)`,
      `  Secret key    ${keys.secretKey}   (reads data: Authorization: Bearer <secret key>)`,
      truth
        ? `\n  Ground truth: ${truth.retentionRaising.join(' and ')} raise retention; ${truth.powerUserFeature} is used by power users only (no effect); ${truth.renewalFeature} drives renewals.` +
          (truth.confoundedFeature ? `\n  ${truth.confoundedFeature} is used most by people who come back anyway (no effect).` : '') +
          (truth.nudges?.length
            ? `\n  Finished nudge experiments (50% held out): ${truth.nudges.map((n) => `${n.id} → ${n.feature}`).join(', ')}; their reports are under Nudges, their verdicts on the retention page.`
            : '')
        : '',
      '',
      'Ctrl-C stops.',
    ].join('\n'),
  )
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err)
  process.exit(1)
})
