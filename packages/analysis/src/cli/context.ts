import type { ClickHouseClient } from '@clickhouse/client'
import type { OutputFormat } from './format.js'

/** Raised for bad command lines (exit 2) and refused requests (exit 1); the message is for people. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

/** The query API of a running collector, authenticated by the project's secret key. */
export interface HttpApi {
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query?: Record<string, string | undefined>, body?: unknown): Promise<unknown>
}

export function httpApi(baseUrl: string, secret: string, fetchImpl: typeof fetch = fetch): HttpApi {
  const base = baseUrl.replace(/\/+$/, '')
  return {
    async request(method, path, query, body) {
      const qs = new URLSearchParams()
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, v)
      const url = `${base}${path}${qs.size ? `?${qs}` : ''}`
      let res: Response
      try {
        res = await fetchImpl(url, {
          method,
          headers: { authorization: `Bearer ${secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        })
      } catch (e) {
        throw new CliError(`cannot reach ${base}: ${(e as Error).message}`)
      }
      const text = await res.text()
      let json: unknown
      try {
        json = text ? JSON.parse(text) : null
      } catch {
        throw new CliError(`${method} ${path}: HTTP ${res.status}, not JSON`)
      }
      if (!res.ok) {
        const err = (json as { error?: { message?: string; field?: string | null } } | null)?.error
        throw new CliError(`${err?.message ?? `HTTP ${res.status}`}${err?.field ? ` (${err.field})` : ''}`)
      }
      return json
    },
  }
}

/**
 * What a command runs against: a collector's HTTP API, or a data folder opened directly
 * (`--data-dir`, when no collector holds it). `client` and `projectId` exist only in the latter;
 * commands that need them say so when run over HTTP.
 */
export interface CliContext {
  readonly http: HttpApi | null
  readonly client: ClickHouseClient
  readonly projectId: string
  readonly format: OutputFormat
}

export function directContext(client: ClickHouseClient, projectId: string, format: OutputFormat): CliContext {
  return { http: null, client, projectId, format }
}

export function httpContext(api: HttpApi, format: OutputFormat): CliContext {
  return {
    http: api,
    get client(): ClickHouseClient {
      throw new CliError('this command reads the data folder directly: run it with --data-dir (and --project)', 2)
    },
    get projectId(): string {
      throw new CliError('this command reads the data folder directly: run it with --data-dir (and --project)', 2)
    },
    format,
  }
}
