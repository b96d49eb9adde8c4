// One table from every bench-results/*.json (written by each package's `bench` script), printed
// and saved as bench-results/summary.json with the machine it ran on. Known benchmarks get a
// readable extraction; any other file has its numeric fields listed, so nothing is silently lost.
// The figures are then kept in docs/benchmarks.json (each benchmark's latest run) and the README's
// benchmark table is rendered from them (scripts/readme-bench.mjs).
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { cpus, totalmem, platform, release, loadavg } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BENCH_FILE, mergeSummary, readStored, writeReadme } from './readme-bench.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DIR = join(ROOT, 'bench-results')

const round = (n, d = 0) => (typeof n === 'number' && Number.isFinite(n) ? +n.toFixed(d) : n)

/** @type {Record<string, (j: any) => {area: string, measure: string, value: unknown, unit: string, note?: string}[]>} */
const EXTRACT = {
  'collector-ingest.json': (j) => [
    { area: 'ingestion', measure: 'direct insert of the same rows with @clickhouse/client (no HTTP)', value: j.direct?.mean_events_per_s, unit: 'events/s', note: `${j.insert_rows}-row inserts, JSONEachRow` },
    { area: 'ingestion', measure: 'the engine alone, rows encoded beforehand (as the collector inserts)', value: j.direct?.bytes_events_per_s, unit: 'events/s' },
    ...(j.runs ?? []).flatMap((r) => [
      {
        area: 'ingestion',
        measure: `POST /v1/batch, ${r.scenario}${r.gzip ? ', gzip' : ''}`,
        value: r.events_per_s_acked,
        unit: 'events/s',
        note: `${round(r.ratio_to_direct, 2)}× direct${j.direct?.bytes_events_per_s ? `, ${round(r.events_per_s_stored / j.direct.bytes_events_per_s, 2)}× the engine alone` : ''}; p50 ${round(r.p50_ms, 1)} ms, p99 ${round(r.p99_ms, 1)} ms`,
      },
    ]),
  ],
  'collector-engine-extras.json': (j) => (j.variants ?? []).map((v) => ({
    area: 'ingestion',
    measure: `the engine alone, ${v.variant}`,
    value: v.rowsPerS,
    unit: 'rows/s',
    note: `${v.timesShipped}× as shipped${v.shareOfShipped === null ? '' : `; ${Math.round(v.shareOfShipped * 100)}% of an insert's time as shipped`}; cpu ${v.cpuUsPerRow} µs per row`,
  })),
  'analysis-accounts.json': (j) => (j.results ?? []).flatMap((r) => [
    ...(r.reports ?? []).map((t) => ({
      area: 'accounts',
      measure: `${t.report}, ${(r.events / 1e6).toLocaleString('en')}M events`,
      value: Math.max(t.firstMs, t.warmMs),
      unit: 'ms (slower of first and warm)',
      note: `${t.ratioToScan}× a per-person scan; cpu ${t.cpuMs} ms${t.withinTarget === null ? '' : `; target ${r.targetMs} ms${r.ratioTarget ? ` and ≤ ${r.ratioTarget}×` : ''} ${t.withinTarget ? 'met' : 'NOT met'}`}`,
    })),
    ...(r.rawEventPath ?? []).map((t) => ({ area: 'accounts', measure: `${t.report} (before the rollup), ${(r.events / 1e6).toLocaleString('en')}M events`, value: t.ms, unit: 'ms' })),
  ]),
  'analysis-segments.json': (j) => [
    ['propertySegment', 'with a property segment (plan in team, business)', 2],
    ['behaviouralSegment', 'with a behavioural segment (active ≥ 3 of the last 14 days)', 2],
    ['breakdown5', 'broken down by a 5-value property', 3],
  ].map(([key, what, target]) => ({
    area: 'segments',
    measure: `high-retention report ${what}, ${(j.data?.events / 1e6).toLocaleString('en')}M events`,
    value: j.ratios?.[key],
    unit: '× the unfiltered report',
    note: `${j.ms?.[key]?.median} ms against ${j.ms?.unfiltered?.median} ms; target ≤ ${target}× ${j.ratios?.[key] <= target ? 'met' : 'NOT met'}`,
  })),
  'analysis-retention.json': (j) => [
    {
      area: 'retention',
      measure: `high-retention report, ${(j.data?.events / 1e6).toLocaleString('en')}M events (${j.data?.features} features)`,
      value: j.highRetentionMs?.median,
      unit: 'ms median',
      note: `${j.highRetentionMs?.firstCall === undefined ? '' : `first call ${j.highRetentionMs.firstCall} ms; `}plain scan ${j.scanMs?.median} ms (${j.ratio}×); target < ${j.target?.underMs} ms and ≤ ${j.target?.ratioWithin}× ${j.meetsTarget ? 'met' : 'NOT met'}`,
    },
    ...(j.nudgeReportMs
      ? [{
          area: 'nudges',
          measure: `nudge report (ITT, first stage, CACE), ${(j.data?.events / 1e6).toLocaleString('en')}M events`,
          value: j.nudgeReportMs.median,
          unit: 'ms median',
          note: `plain scan ${j.nudgeScanMs?.median} ms (${j.nudgeRatio}×); ${j.nudgeExperiment?.exposed} users in the experiment`,
        }]
      : []),
    ...[
      ['high-retention report, first call after a feature edit', j.highRetentionAfterFeatureEditMs, j.ratios?.afterFeatureEdit],
      ['high-retention report, first call in a new time zone', j.highRetentionNewTimeZoneMs, j.ratios?.newTimeZone],
      ['high-retention report, first call after 10k late events', j.highRetentionAfter10kLateEventsMs, j.ratios?.after10kLateEvents],
    ]
      .filter(([, ms]) => ms !== undefined)
      .map(([measure, ms, ratio]) => ({ area: 'retention', measure: `${measure}, ${(j.data?.events / 1e6).toLocaleString('en')}M events`, value: ms, unit: 'ms', note: ratio === undefined ? '' : `${ratio}× the plain scan` })),
    ...Object.entries(j.otherReportsMs ?? {}).map(([name, ms]) => ({ area: 'retention', measure: `${name}, ${(j.data?.events / 1e6).toLocaleString('en')}M events`, value: ms, unit: 'ms', note: `${(ms / j.scanMs?.median).toFixed(1)}× the plain scan` })),
  ],
  'dashboard-rollup-readers.json': (j) => (j.results ?? []).map((r) => ({
    area: r.name.startsWith('nudge') ? 'nudges' : 'dashboard',
    measure: `${r.name}, ${(j.data?.events / 1e6).toLocaleString('en')}M events`,
    value: r.afterMs,
    unit: 'ms median',
    note: `${r.afterRatio}× a per-person scan (${r.scanMs} ms); before the rollup ${r.beforeMs} ms (${r.beforeRatio}×)`,
  })),
  'dashboard-pages.json': (j) => (j.results ?? []).flatMap((r) => {
    const target = r.label === 'demo data' ? j.targets?.demo_ms : j.targets?.large_ms
    const byPage = new Map()
    for (const t of r.pages ?? []) byPage.set(t.page, { ...byPage.get(t.page), [t.run]: t })
    return [...byPage].map(([page, { cold, warm }]) => {
      const slower = Math.max(cold?.completeMs ?? 0, warm?.completeMs ?? 0)
      return {
        area: 'dashboard',
        measure: `${page.replace(/\/(acct|user)_[^/?]+$/, '/<id>').replace(/\?q=.*$/, '?q=…')}, ${r.label} (${(r.events / 1e6).toLocaleString('en', { maximumFractionDigits: 2 })}M events)`,
        value: slower,
        unit: 'ms (slower of first and second request)',
        note: `first byte ${cold?.firstByteMs} ms; complete ${cold?.completeMs} ms first, ${warm?.completeMs} ms second${target ? `; target ${target} ms ${slower <= target ? 'met' : 'NOT met'}` : ''}${j.keptReports ? '; restart on a kept data folder (the account pages\' reports kept from the start before)' : ''}`,
      }
    })
  }),
  'sdk.json': (j) => [
    { area: 'sdk', measure: 'tenure.js gzip size', value: j.iife?.gzipKB, unit: 'KB', note: `budget ${j.iife?.budgetKB} KB` },
    { area: 'sdk', measure: `describe one click (${j.describeClick?.depth} levels deep)`, value: j.describeClick?.medianMicros, unit: 'µs median', note: `p90 ${j.describeClick?.p90Micros} µs` },
    { area: 'sdk', measure: 'click listeners, real clicks, collector answering', value: j.clickListener?.reachable?.medianMicros, unit: 'µs median', note: `p90 ${j.clickListener?.reachable?.p90Micros} µs` },
    { area: 'sdk', measure: 'click listeners, real clicks, collector unreachable', value: j.clickListener?.unreachable?.medianMicros, unit: 'µs median', note: `p90 ${j.clickListener?.unreachable?.p90Micros} µs` },
  ],
}

/** Numeric leaves of an object, named by their path (arrays of objects are skipped: they are runs, not figures). */
function numericLeaves(obj, prefix = '', depth = 0, out = []) {
  if (depth > 3 || obj === null || typeof obj !== 'object' || Array.isArray(obj)) return out
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'number') out.push({ measure: name, value: v })
    else if (v && typeof v === 'object' && !Array.isArray(v)) numericLeaves(v, name, depth + 1, out)
  }
  return out
}

/** The 1-minute load average a benchmark recorded at the end of its run (where it records one). */
function loadOf(json) {
  const m = json.machine ?? {}
  const l = m.loadavg ?? m.loadavg_after ?? m.loadavg_before
  return Array.isArray(l) && typeof l[0] === 'number' ? round(l[0], 2) : null
}

function rowsFor(file, json) {
  if (Array.isArray(json.summary)) {
    return json.summary.map((r) => ({ area: r.area ?? file.replace(/\.json$/, ''), measure: r.measure ?? r.metric, value: r.value, unit: r.unit ?? '', note: r.note ?? '' }))
  }
  // A retention or accounts run at another size (analysis-retention-30M.json) reads like the default one.
  const extract = EXTRACT[file]
    ?? (/^analysis-retention-\d+M\.json$/.test(file) ? EXTRACT['analysis-retention.json'] : undefined)
    ?? (/^analysis-accounts-\d+M\.json$/.test(file) ? EXTRACT['analysis-accounts.json'] : undefined)
  if (extract) return extract(json).filter((r) => r.value !== undefined)
  return numericLeaves(json).map((r) => ({ area: file.replace(/\.json$/, ''), unit: '', note: '', ...r }))
}

if (!existsSync(DIR)) {
  console.error('no bench-results/ folder: run the benchmarks first')
  process.exit(1)
}
// By name without '.json', so a benchmark's default run comes before its other sizes.
const stem = (f) => f.replace(/\.json$/, '')
const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'summary.json').sort((a, b) => (stem(a) < stem(b) ? -1 : stem(a) > stem(b) ? 1 : 0))
const rows = []
const sources = []
for (const file of files) {
  let json
  try {
    json = JSON.parse(readFileSync(join(DIR, file), 'utf8'))
  } catch (err) {
    console.error(`skipping ${file}: ${err.message}`)
    continue
  }
  sources.push({ file, date: json.date ?? null, load: loadOf(json) })
  for (const r of rowsFor(file, json)) rows.push({ ...r, note: r.note ?? '', source: file })
}

const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? '',
  memory_gib: round(totalmem() / 2 ** 30, 1),
  os: `${platform()} ${release()}`,
  node: process.version,
  // Other work on the machine skews timings: each benchmark file records its own load where it can.
  loadavg: loadavg().map((x) => round(x, 2)),
}
const fmt = (v) => (typeof v === 'number' ? v.toLocaleString('en', { maximumFractionDigits: 2 }) : String(v ?? ''))
const table = rows.map((r) => [r.area, r.measure, fmt(r.value), r.unit, r.note])
const head = ['area', 'measure', 'value', 'unit', 'note']
const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i]).length)))
const line = (cells) => cells.map((c, i) => (i === 2 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ')
console.log(`\nBenchmarks on ${machine.cpus} × ${machine.cpu}, ${machine.memory_gib} GiB, ${machine.os}, Node ${machine.node} (load average now ${machine.loadavg.join(' ')})\n`)
console.log(line(head))
console.log(widths.map((w) => '─'.repeat(w)).join('  '))
for (const t of table) console.log(line(t))
const summary = { date: new Date().toISOString(), machine, sources, rows }
writeFileSync(join(DIR, 'summary.json'), JSON.stringify(summary, null, 2) + '\n')
console.log(`\nwrote bench-results/summary.json (${rows.length} figures from ${sources.length} files)`)
writeFileSync(BENCH_FILE, JSON.stringify(mergeSummary(readStored(), summary), null, 2) + '\n')
console.log(`kept them in docs/benchmarks.json; README.md benchmark table ${writeReadme() ? 'rewritten' : 'already current'}`)
