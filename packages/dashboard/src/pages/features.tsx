import { featureRetentionReport, listFeatures, MAX_K, suggestFeatures, textThreshold, type FeatureDefinition, type FeatureRetentionRow, type FeatureSuggestion } from '@tenure/analysis'
import { z } from 'zod'
import { RateCell } from '../components/comparison.js'
import { TZ_FIELD } from '../components/params-form.js'
import { Note } from '../components/states.js'
import { ruleText } from '../feature-form.js'
import { fmtNum } from '../format.js'
import { addDays, checkRange, intIn, isoDate, parseParams, timeZone, todayIn, urlWith } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'

const Params = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  tz: timeZone.optional(),
  suggest_days: intIn(1, 3650).default(30),
  saved: z.string().max(64).optional(),
  deleted: z.string().max(64).optional(),
  text_k: intIn(1, 10_000).optional(),
})

interface P {
  from: string
  to: string
  tz: string
  suggest_days: number
  saved?: string
  deleted?: string
  /** Set when the element text setting was just saved. */
  text_k?: number
}

interface Data {
  /** People who must produce an element text before it shows in plain. */
  k: number
  features: FeatureDefinition[]
  adoption: FeatureRetentionRow[]
  suggestions: FeatureSuggestion[]
}

/** `/app/features/new` filled from a suggestion: its name and rules travel in the link. */
export function suggestionHref(s: FeatureSuggestion): string {
  return urlWith('/app/features/new', { name: s.name, rules: JSON.stringify(s.rules) })
}

/** Feature definitions with their adoption, and candidates from what people clicked. */
export const featuresPage: PageDef<P, Data> = {
  nav: 'features',
  title: 'Features',
  path: () => '/app/features',
  // Adoption takes the segment; the suggestions and the definitions are the project's whatever it is.
  segments: true,
  intro: <p>A feature is a definition over the events already captured: change it and every report recomputes history. Adoption is the share of active users in the window who used it.</p>,
  fields: [
    { name: 'from', label: 'Adoption from', type: 'date' },
    { name: 'to', label: 'To', type: 'date' },
    TZ_FIELD,
    { name: 'suggest_days', label: 'Suggest from last (days)', type: 'number', min: 1, max: 3650, width: 's' },
  ],
  parse(q, ctx) {
    const raw = parseParams(Params, q)
    const tz = raw.tz ?? ctx.project.timezone
    const to = raw.to ?? todayIn(tz)
    const from = raw.from ?? addDays(to, -27)
    checkRange(from, to)
    return { from, to, tz, suggest_days: raw.suggest_days, saved: raw.saved, deleted: raw.deleted, text_k: raw.text_k }
  },
  values: (p) => ({ from: p.from, to: p.to, tz: p.tz, suggest_days: String(p.suggest_days) }),
  async load(ctx, p) {
    const project = ctx.project.id
    const features = await listFeatures(ctx.client, project)
    const [report, suggestions, k] = await Promise.all([
      features.length
        ? featureRetentionReport(ctx.client, { project, from: p.from, to: p.to, timezone: p.tz, days: [7], segment: ctx.segment })
        : Promise.resolve(null),
      suggestFeatures(ctx.client, { project, days: p.suggest_days, limit: 30 }),
      textThreshold(ctx.client, project),
    ])
    return { features, adoption: report?.features ?? [], suggestions, k }
  },
  tables: (d, p) => {
    const byId = new Map(d.features.map((f) => [f.id, f]))
    return [
      table<FeatureRetentionRow>({
        id: 'features', title: `Defined features: adoption ${p.from} to ${p.to}`, rows: d.adoption,
        empty: 'No features defined yet: create one from a suggestion below, or start from scratch.',
        columns: [
          { key: 'name', label: 'Feature', value: (r) => r.name, show: (r) => <a href={`/app/features/${encodeURIComponent(r.featureId)}`}>{r.name}</a> },
          { key: 'feature_id', label: 'Id', value: (r) => r.featureId, show: (r) => <code>{r.featureId}</code> },
          { key: 'rules', label: 'Matches', value: (r) => (byId.get(r.featureId)?.rules ?? []).map(ruleText).join(' or ') },
          { key: 'active_users', label: 'Active users', numeric: true, value: (r) => r.activeUsers, show: (r) => fmtNum(r.activeUsers) },
          { key: 'adopters', label: 'Used it', numeric: true, value: (r) => r.adopters, show: (r) => fmtNum(r.adopters) },
          { key: 'adoption', label: 'Adoption (95% CI)', numeric: true, value: (r) => r.adoption.rate, show: (r) => <RateCell p={r.adoption} /> },
          { key: 'adoption_low', label: 'low', csvOnly: true, value: (r) => r.adoption.low },
          { key: 'adoption_high', label: 'high', csvOnly: true, value: (r) => r.adoption.high },
          { key: 'new_adopters', label: 'First use in window', numeric: true, value: (r) => r.newAdopters, show: (r) => fmtNum(r.newAdopters) },
          { key: 'version', label: 'Version', numeric: true, value: (r) => r.version },
        ],
      }),
      table<FeatureSuggestion>({
        id: 'suggestions', title: `Suggestions from the last ${p.suggest_days} days`, rows: d.suggestions,
        empty: 'Nothing clicked in this period yet.',
        columns: [
          { key: 'name', label: 'Candidate', value: (s) => s.name },
          { key: 'source', label: 'From', value: (s) => s.source, show: (s) => (s.source === 'feature_key' ? 'data-feature key' : 'clicked element') },
          { key: 'rules', label: 'Matches', value: (s) => s.rules.map(ruleText).join(' or ') },
          { key: 'users', label: 'Users', numeric: true, value: (s) => s.users, show: (s) => fmtNum(s.users) },
          { key: 'events', label: 'Events', numeric: true, value: (s) => s.events, show: (s) => fmtNum(s.events) },
          {
            key: 'defined', label: 'Action', value: (s) => s.defined,
            show: (s) => (s.defined ? <span class="tag">defined</span> : <a href={suggestionHref(s)} aria-label={`Create a feature from ${s.name}`}>Create feature</a>),
          },
        ],
      }),
    ]
  },
  view: (d, p, kit) => (
    <>
      {p.saved ? <Note>Saved feature <code>{p.saved}</code>. Reports recompute its history on their next run.</Note> : null}
      {p.deleted ? <Note>Deleted feature <code>{p.deleted}</code>; its history stays readable.</Note> : null}
      <p>
        <a class="button-link" href="/app/features/new">New feature</a>
      </p>
      {kit.table('features')}
      {kit.ctx.segment ? <Note>Suggestions come from everyone's clicks, not only the segment's.</Note> : null}
      {kit.table('suggestions')}
      {p.text_k ? <Note>Element text now shows in plain once {fmtNum(p.text_k)} people produced it.</Note> : null}
      <form method="post" action="/app/settings/element-text" class="inline-form">
        <label>
          Clicked text shows in plain once{' '}
          <input type="number" name="k" min="1" max={String(MAX_K)} value={String(d.k)} required style="width:6em" /> different people produced it;
          below that only a keyed hash is stored and reports show “(private text)”.
        </label>{' '}
        <button type="submit">Save</button>
      </form>
    </>
  ),
}
