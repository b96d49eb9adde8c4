import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * Every error the collector answers with, and its HTTP status. Routes never invent a status:
 * they name a code here, so clients (the SDK, Segment libraries) can rely on one table.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_event: 400,
  invalid_query: 400,
  invalid_timestamp: 400,
  timestamp_in_future: 400,
  timestamp_too_old: 400,
  missing_write_key: 401,
  invalid_write_key: 401,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_events: 413,
  event_too_large: 413,
  inflated_too_large: 413,
  unsupported_encoding: 415,
  rate_limited: 429,
  internal: 500,
  spool_full: 503,
  shutting_down: 503,
  store_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof ERROR_STATUS

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field: string | null }
}

export class HttpError extends Error {
  readonly status: ContentfulStatusCode
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field: string | null = null,
    /** Seconds, sent as Retry-After on 429/503. */
    readonly retryAfter?: number,
  ) {
    super(message)
    this.status = ERROR_STATUS[code]
  }
}

export function errorBody(code: ErrorCode, message: string, field: string | null = null): ErrorBody {
  return { error: { code, message, field } }
}

export function errorResponse(c: Context, err: HttpError): Response {
  if (err.retryAfter !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(err.retryAfter))))
  return c.json(errorBody(err.code, err.message, err.field), err.status)
}

/** The app's onError: known errors keep their code; anything else is a bug and says so without details. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof HttpError) return errorResponse(c, err)
  // Hono raises HTTPException for malformed requests it parses itself (e.g. bad JSON in c.req.json()).
  const status = (err as { status?: unknown }).status
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return c.json(errorBody('invalid_body', err.message || 'bad request'), status as ContentfulStatusCode)
  }
  console.error('[collector] unexpected error', err)
  return c.json(errorBody('internal', 'internal error'), 500)
}
