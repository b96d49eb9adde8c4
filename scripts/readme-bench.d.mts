// Types of readme-bench.mjs, for the TypeScript tests that render the README's benchmark table.
export interface BenchRow {
  area: string
  measure: string
  value: unknown
  unit: string
  note?: string
}
export interface BenchMachine {
  cpus: number
  cpu: string
  memory_gib: number
  os: string
  node: string
  loadavg: number[]
}
export interface StoredBenchmarks {
  sources: Record<string, { date: string | null; machine: BenchMachine; load: number | null; rows: BenchRow[] }>
}
export interface BenchSummary {
  date: string
  machine: BenchMachine
  sources: Array<{ file: string; date: string | null; load?: number | null }>
  rows: Array<BenchRow & { source: string }>
}
export const ROOT: string
export const BENCH_FILE: string
export const README: string
export const START: string
export const END: string
export function mergeSummary(stored: StoredBenchmarks | undefined, summary: BenchSummary): StoredBenchmarks
export function renderBenchBlock(stored: StoredBenchmarks): string
export function withBenchBlock(readme: string, block: string): string
export function readStored(): StoredBenchmarks
export function writeReadme(): boolean
