import type { MiddlewareHandler } from 'hono'
import { describeRoute, resolver, uniqueSymbol, type DescribeRouteOptions } from 'hono-openapi'
import { z } from 'zod'
import { ERROR_STATUS } from '../errors.js'

/**
 * What a route says about itself in the OpenAPI document (`/openapi.json`). Routes put the
 * middlewares `describe()` returns in front of their own; they only pass the request on, so a
 * route behaves the same with or without them. Query, path and body schemas are the very zod
 * schemas the route validates with, so the document cannot drift from what is accepted.
 */
export type Auth =
  /** `Authorization: Bearer <secret key>`: reads data, changes settings. */
  | 'secret'
  /** `?write_key=`: the public key of the script tag. */
  | 'write-key'
  /** Ingestion: `write_key` in an SDK batch, or a Segment library's Basic auth / `writeKey`. */
  | 'ingest'
  /** Open, or the metrics token when `TENURE_METRICS_TOKEN` is set. */
  | 'metrics'
  /** Open; the metrics token or a secret key adds figures. */
  | 'health'
  | 'public'

export type Tag = 'Ingestion' | 'Analysis' | 'Accounts and renewals' | 'Features' | 'Segments' | 'Nudges' | 'People' | 'Events' | 'Settings' | 'Operations' | 'SDK' | 'Reference'

type Status = 200 | 201 | 304 | keyof typeof ERROR_BY_STATUS

export interface RouteDoc {
  tag: Tag
  summary: string
  description?: string
  auth: Auth
  query?: z.ZodObject
  path?: z.ZodObject
  body?: { schema: z.ZodType; description?: string; media?: string[] }
  /** The success answer; `schema` where one exists. */
  ok?: { status?: 200 | 201; description: string; schema?: z.ZodType; media?: string }
  /** Error statuses this route answers besides the success, each with the shared error body. */
  errors?: Status[]
}

const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  secret: [{ secretKey: [] }],
  'write-key': [{ writeKey: [] }],
  // An SDK batch carries its key in the body, which no security scheme can name: hence `{}`.
  ingest: [{ segmentWriteKey: [] }, {}],
  metrics: [{}, { metricsToken: [] }],
  health: [{}, { metricsToken: [] }, { secretKey: [] }],
  public: [],
}

/** What each error status means, for the responses list; the codes are those of `errors.ts`. */
const ERROR_BY_STATUS = {
  400: 'The request is invalid: `error.field` names the parameter or body field, `error.message` says why.',
  401: 'The key is missing or unknown.',
  404: 'Nothing with that id in this project.',
  409: 'The change conflicts with the current state (e.g. the id exists).',
  413: 'The body is over its size limit.',
  415: 'Unsupported Content-Encoding.',
  429: 'Too many events for this write key; retry after `Retry-After` seconds.',
  503: 'The spool or the store cannot take events now; retry after `Retry-After` seconds.',
} as const

/** The body of every error answer (`errors.ts`). */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
      message: z.string(),
      field: z.string().nullable(),
    }),
  })
  .meta({ description: 'Every error: a code from a fixed list, a sentence, and the field to fix (or null).' })

export const ERROR_REF = '#/components/schemas/Error'

const errorResponse = (status: keyof typeof ERROR_BY_STATUS) => ({
  description: ERROR_BY_STATUS[status],
  content: { 'application/json': { schema: { $ref: ERROR_REF } } },
})

const passOn = (): MiddlewareHandler => async (_c, next) => {
  await next()
}

/** A middleware hono-openapi reads parameters from (as from its own validator), which validates nothing itself. */
function parameters(target: 'query' | 'param', schema: z.ZodObject | undefined): MiddlewareHandler {
  return schema ? Object.assign(passOn(), { [uniqueSymbol]: { target, ...resolver(schema) } }) : passOn()
}

/**
 * The route's description, its path parameters and its query parameters, as three middlewares
 * (hono-openapi reads one kind from each); spread them before the route's own handlers. A fixed
 * count keeps Hono's typed overloads applicable.
 */
export function describe(doc: RouteDoc): [MiddlewareHandler, MiddlewareHandler, MiddlewareHandler] {
  const responses: NonNullable<DescribeRouteOptions['responses']> = {}
  const ok = doc.ok ?? { description: 'OK' }
  responses[String(ok.status ?? 200)] = {
    description: ok.description,
    ...(ok.schema ? { content: { [ok.media ?? 'application/json']: { schema: resolver(ok.schema, { options: { io: 'output' } }) } } } : {}),
  }
  const errors = new Set<Status>([...(doc.errors ?? []), ...(doc.auth === 'secret' || doc.auth === 'write-key' ? [401 as const] : []), ...(doc.query || doc.body ? [400 as const] : [])])
  for (const status of [...errors].sort()) {
    if (status in ERROR_BY_STATUS) responses[String(status)] = errorResponse(status as keyof typeof ERROR_BY_STATUS)
    else if (status === 304) responses['304'] = { description: 'Not modified: the ETag in If-None-Match is current.' }
  }
  const spec: DescribeRouteOptions = {
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    security: SECURITY[doc.auth],
    responses,
    ...(doc.body
      ? {
          requestBody: {
            required: true,
            ...(doc.body.description ? { description: doc.body.description } : {}),
            content: Object.fromEntries((doc.body.media ?? ['application/json']).map((m) => [m, { schema: resolver(doc.body!.schema) }])),
          },
        }
      : {}),
  }
  return [describeRoute(spec), parameters('param', doc.path), parameters('query', doc.query)]
}

const snake = (k: string) => k.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)

/**
 * A report's parameter schema as its query string names them (snake_case): the same field
 * schemas under the wire names, for routes that translate `as_of` → `asOf` before validating.
 */
export function wireQuery(schema: z.ZodObject, leaveOut: readonly string[] = []): z.ZodObject {
  return z.object(Object.fromEntries(Object.entries(schema.shape).filter(([k]) => !leaveOut.includes(k)).map(([k, v]) => [snake(k), v])))
}
