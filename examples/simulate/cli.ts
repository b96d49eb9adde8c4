import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openStore, migrate, storeConfigFromEnv } from '@tenure/analysis/store'
import { accountBookCsv } from './book-csv.js'
import { parseSimConfig } from './config.js'
import { runSimulation } from './simulate.js'
import { usersForEvents } from './scale.js'
import { HttpSink } from './sinks/http.js'
import { BulkSink } from './sinks/bulk.js'
import { importBookOverHttp } from './sinks/accounts-http.js'

const USAGE = `Simulates a B2B SaaS product's history with a known ground truth.

  tsx examples/simulate/cli.ts [options]

  --events N        about this many events (sizes the number of users)
  --users N         users joining over the window (default 300; ignored with --events)
  --days N          days of history (default 90)
  --seed N          random seed (default 1)
  --end YYYY-MM-DD  day after the last simulated day (default today, UTC)
  --to URL          send through the collector's POST /v1/batch (needs --key)
  --key KEY         the project's write key
  --secret KEY      with --to: also import the account book through POST /v1/accounts/import
  --batch N         events per request (default 200)
  --bulk            insert rows straight into the store (TENURE_DATA_DIR or CLICKHOUSE_URL)
  --project ID      project id for --bulk (default "bench")
  --out DIR         write ground-truth.json and the account book CSVs here
  --help`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' }, users: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' },
      end: { type: 'string' }, to: { type: 'string' }, key: { type: 'string' }, secret: { type: 'string' }, batch: { type: 'string' },
      bulk: { type: 'boolean' }, project: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' },
    },
  })
  if (values.help || (!values.to && !values.bulk && !values.out)) {
    console.log(USAGE)
    return
  }
  if (values.to && !values.key) throw new Error('--to needs --key (the project write key)')
  const base = {
    seed: int(values.seed, 1),
    days: int(values.days, 90),
    ...(values.end ? { endDate: values.end } : {}),
  }
  const users = values.events ? usersForEvents(base, int(values.events, 0)) : int(values.users, 300)
  const cfg = parseSimConfig({ ...base, users })
  const started = performance.now()

  let write: (s: Parameters<HttpSink['write']>[0]) => Promise<void> = async () => {}
  let finish: () => Promise<string> = async () => ''
  if (values.to) {
    const sink = new HttpSink({ url: values.to, writeKey: values.key!, batchSize: int(values.batch, 200) })
    write = (s) => sink.write(s)
    finish = async () => {
      const st = await sink.flush()
      return `${st.requests} requests, ${st.accepted} accepted, ${st.duplicates} duplicates, ${st.rejected} rejected, ${st.retries} retries`
    }
  } else if (values.bulk) {
    const store = openStore(storeConfigFromEnv())
    await migrate(store)
    const sink = new BulkSink({ store, projectId: values.project ?? 'bench' })
    write = (s) => sink.write(s)
    finish = async () => {
      const n = await sink.flush()
      await store.close()
      return `${n} rows inserted`
    }
  }
  const { groundTruth, accountBook } = await runSimulation(cfg, write)
  let summary = await finish()
  if (values.to && values.secret) {
    await importBookOverHttp(values.to, values.secret, accountBook)
    summary += `; account book imported (${accountBook.accounts.length} accounts, ${accountBook.contracts.length} contract terms)`
  }
  const seconds = (performance.now() - started) / 1000
  const t = groundTruth.totals
  console.log(
    `${t.events} events, ${t.users} users, ${t.accounts} accounts, ${t.contractsDue} renewals due ` +
      `(${groundTruth.startDate} … ${groundTruth.endDate}) in ${seconds.toFixed(1)} s${summary ? `: ${summary}` : ''}`,
  )
  if (values.out) {
    const dir = resolve(values.out)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'ground-truth.json'), JSON.stringify(groundTruth, null, 2))
    const csv = accountBookCsv(accountBook)
    for (const [name, text] of Object.entries(csv)) writeFileSync(join(dir, `${name}.csv`), text)
    console.log(`wrote ground-truth.json, accounts.csv, contracts.csv, renewals.csv to ${dir}`)
  }
}

function int(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: ${v}`)
  return n
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
