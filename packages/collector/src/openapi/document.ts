import type { Hono } from 'hono'
import { generateSpecs, resolver } from 'hono-openapi'
import { ErrorBody, type Tag } from './describe.js'

export type OpenApiDocument = Awaited<ReturnType<typeof generateSpecs>>
type SecurityScheme = NonNullable<NonNullable<OpenApiDocument['components']>['securitySchemes']>[string]
interface Parameter {
  in: string
  schema?: { type?: unknown }
  style?: string
  explode?: boolean
}

const TAGS: Array<{ name: Tag; description: string }> = [
  { name: 'Ingestion', description: 'Events from the browser SDK and from Segment libraries.' },
  { name: 'Analysis', description: 'Feature-retention reports. Lists are comma-separated; day lists also take a range such as `0-14`; dates are YYYY-MM-DD.' },
  { name: 'Accounts and renewals', description: 'The account book (CSV or Stripe import), revenue, renewals, health, seat sharing, worklists.' },
  { name: 'Features', description: 'Feature definitions over captured events; every change is a new version.' },
  { name: 'Segments', description: 'Saved, versioned segments over person, account and first-touch properties and behaviour; every report takes one as `segment` or `segment_def`.' },
  { name: 'Nudges', description: 'Onboarding nudges and their lift report.' },
  { name: 'People', description: 'People and their timelines.' },
  { name: 'Events', description: 'Stored events: counts, the live feed, rows the store refused.' },
  { name: 'Settings', description: 'Per-project settings.' },
  { name: 'Operations', description: 'Health and Prometheus metrics.' },
  { name: 'SDK', description: 'The built browser SDK, hosted by the collector.' },
  { name: 'Reference', description: 'This document and its reference page.' },
]

const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  secretKey: { type: 'http', scheme: 'bearer', description: 'The project secret key (`sk_…`): reads data and changes settings. Keep it on servers.' },
  writeKey: { type: 'apiKey', in: 'query', name: 'write_key', description: 'The project write key: public, it is in the script tag.' },
  segmentWriteKey: {
    type: 'http',
    scheme: 'basic',
    description: 'Segment libraries: the write key as the Basic auth user name with an empty password (or `writeKey` in the body). The browser SDK sends `write_key` in the batch body instead.',
  },
  metricsToken: { type: 'http', scheme: 'bearer', description: '`TENURE_METRICS_TOKEN`, when the collector is configured with one.' },
}

/**
 * Query parameters that take a list are sent comma-separated (`days=1,7,30`), which OpenAPI
 * calls `explode: false`; its default would be one parameter per item.
 */
function commaSeparatedLists(paths: OpenApiDocument['paths']): void {
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item ?? {}) as Array<{ parameters?: Parameter[] } | undefined>) {
      for (const p of op?.parameters ?? []) {
        if (p.in === 'query' && p.schema?.type === 'array') {
          p.style = 'form'
          p.explode = false
        }
      }
    }
  }
}

/**
 * The OpenAPI 3.1 document of every route that describes itself (see `describe.ts`), generated
 * by hono-openapi from the app's route table. The dashboard (`/app`, HTML pages) is not API.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any app's routes, whatever its Env
export async function openApiDocument(app: Hono<any>, version: string): Promise<OpenApiDocument> {
  const error = await resolver(ErrorBody).toOpenAPISchema()
  const doc = await generateSpecs(app, {
    documentation: {
      info: {
        title: 'Tenure collector API',
        version,
        description:
          'Ingestion, reports and settings of a Tenure collector. Every error answers `{"error": {"code", "message", "field"}}`; `field` names the parameter or body field to fix. Read routes need the project secret key as `Authorization: Bearer <secret key>`; everything they answer is scoped to that key\'s project.',
      },
      tags: TAGS,
      components: { securitySchemes: SECURITY_SCHEMES, schemas: { Error: error.schema } },
    },
    // `/openapi.json`, `/sdk/manifest.json`: real routes whose last segment has a dot.
    excludeStaticFile: false,
    exclude: [/^\/app(\/|$)/],
  })
  commaSeparatedLists(doc.paths)
  return doc
}
