/**
 * Process entry: `tsx src/server.ts`. Configuration comes from the environment (see config.ts):
 * PORT (8787), TENURE_DATA_DIR (./.tenure-data), TENURE_WRITE_KEY / TENURE_SECRET_KEY, CLICKHOUSE_URL…
 * SIGTERM / SIGINT stop accepting, insert everything pending, then exit.
 */
import { createCollector } from './collector.js'

const collector = await createCollector()
if (collector.bootstrap) {
  const { project, writeKey, secretKey } = collector.bootstrap
  console.log(`[collector] created project ${project.id} (${project.name})`)
  console.log(`[collector]   write key:  ${writeKey}`)
  console.log(`[collector]   secret key: ${secretKey}  (shown once; only its hash is stored)`)
}
const host = process.env.HOST ?? '127.0.0.1'
const { url } = await collector.listen(collector.deps.config.port, host)
console.log(`[collector] listening on ${url}`)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  console.log(`[collector] ${signal}: flushing and stopping`)
  try {
    await collector.close()
    process.exit(0)
  } catch (err) {
    console.error('[collector] shutdown failed', err)
    process.exit(1)
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
