import { AnalysisError, personProfile, personTimeline, type PersonProfile, type Timeline, type TimelineEvent } from '@tenure/analysis'
import { z } from 'zod'
import { Figures } from '../components/figures.js'
import { fmtInstant, PersonLink } from '../components/person-link.js'
import { TZ_SELECT } from '../components/tz-field.js'
import { fmtNum } from '../format.js'
import { ParamError, parseParams, timeZone, todayIn, urlWith } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { AccountLink } from './accounts-shared.js'

const text = z.string().trim().max(200).optional().transform((v) => v || undefined)
const Params = z.object({
  tz: timeZone.default('UTC'),
  event: text,
  feature: text,
  cursor: z.string().max(300).optional().transform((v) => v || undefined),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})
type P = z.infer<typeof Params>
interface Data { profile: PersonProfile; timeline: Timeline }

export function personIdOf(path: string, prefix = '/app/person/'): string {
  let id: string
  try {
    id = decodeURIComponent(path.slice(prefix.length))
  } catch {
    throw new ParamError('the person id in the address is not valid', 'id')
  }
  if (!id || id.length > 200) throw new ParamError('the person id must have 1 to 200 characters', 'id')
  return id
}

const ACCOUNT_AS_OF = () => todayIn('UTC')

/** One person: identities, accounts, adoption, nudges and a paged event timeline. */
export function personPage(path: string): PageDef<P, Data> {
  let id = ''
  let bad: ParamError | null = null
  try {
    id = personIdOf(path)
  } catch (err) {
    bad = err as ParamError
  }
  const self = `/app/person/${encodeURIComponent(id)}`
  return {
    nav: 'people',
    title: `Person ${id}`,
    path: () => self,
    fields: [
      TZ_SELECT,
      { name: 'event', label: 'Event type', type: 'text', width: 'm', placeholder: 'e.g. $click' },
      { name: 'feature', label: 'Feature id', type: 'text', width: 'm' },
      { name: 'limit', label: 'Events per page', type: 'number', min: 1, max: 500, width: 's' },
    ],
    parse: (q) => {
      if (bad) throw bad
      return parseParams(Params, q)
    },
    values: (p) => ({ tz: p.tz, event: p.event ?? '', feature: p.feature ?? '', limit: String(p.limit), cursor: p.cursor ?? '' }),
    async load(ctx, p) {
      const [profile, timeline] = await Promise.all([
        personProfile(ctx.client, { projectId: ctx.project.id, personId: id, timeZone: p.tz }),
        personTimeline(ctx.client, { projectId: ctx.project.id, personId: id, event: p.event, feature: p.feature, cursor: p.cursor, limit: p.limit }),
      ])
      if (!profile) throw new AnalysisError('not_found', `no events of person ${id}`, 'id')
      return { profile, timeline }
    },
    tables: ({ profile: d, timeline }, p) => {
      const asOf = ACCOUNT_AS_OF()
      const names = new Map(d.features.map((f) => [f.id, f.name]))
      return [
        table<PersonProfile['identities'][number]>({
          id: 'identities', title: 'Identities', rows: d.identities, empty: 'No identities.',
          note: <>Anonymous ids are merged into the user when <code>identify</code> links them.</>,
          columns: [
            { key: 'id', label: 'Id', value: (r) => r.id },
            { key: 'kind', label: 'Kind', value: (r) => r.kind },
            { key: 'merged_at', label: `Merged (${p.tz})`, value: (r) => r.mergedAt, show: (r) => fmtInstant(r.mergedAt, p.tz) },
            { key: 'events', label: 'Events under this id', numeric: true, value: (r) => r.events },
            { key: 'first_seen', label: 'First seen', value: (r) => r.firstSeen, show: (r) => fmtInstant(r.firstSeen, p.tz) },
            { key: 'last_seen', label: 'Last seen', value: (r) => r.lastSeen, show: (r) => fmtInstant(r.lastSeen, p.tz) },
          ],
        }),
        table<PersonProfile['accounts'][number]>({
          id: 'accounts', title: 'Accounts', rows: d.accounts, empty: 'No event of this person carried an account.',
          columns: [
            { key: 'account_id', label: 'Account', value: (r) => r.accountId, show: (r) => <AccountLink id={r.accountId} asOf={asOf}>{r.name || r.accountId}</AccountLink> },
            { key: 'current', label: 'Current', value: (r) => r.current, show: (r) => (r.current ? 'current' : 'earlier') },
            { key: 'first_seen', label: 'First event', value: (r) => r.firstSeen, show: (r) => fmtInstant(r.firstSeen, p.tz) },
            { key: 'last_seen', label: 'Last event', value: (r) => r.lastSeen, show: (r) => fmtInstant(r.lastSeen, p.tz) },
            { key: 'events', label: 'Events', numeric: true, value: (r) => r.events },
          ],
        }),
        table<PersonProfile['features'][number]>({
          id: 'features', title: 'Features adopted', rows: d.features, empty: 'No feature used yet.',
          columns: [
            { key: 'feature_id', label: 'Feature', value: (r) => r.id, show: (r) => r.name },
            { key: 'first_used', label: `First used (${p.tz})`, value: (r) => r.firstUsed, show: (r) => fmtInstant(r.firstUsed, p.tz) },
            { key: 'uses', label: 'Uses', numeric: true, value: (r) => r.uses },
          ],
        }),
        table<PersonProfile['nudges'][number]>({
          id: 'nudges', title: 'Nudges', rows: d.nudges, empty: 'No nudge was shown to this person.',
          columns: [
            { key: 'nudge_id', label: 'Nudge', value: (r) => r.nudgeId, show: (r) => <a href={`/app/nudges/${encodeURIComponent(r.nudgeId)}`}>{r.name || r.nudgeId}</a> },
            { key: 'first_shown', label: 'First shown', value: (r) => r.firstShown, show: (r) => fmtInstant(r.firstShown, p.tz) },
            { key: 'shown', label: 'Times shown', numeric: true, value: (r) => r.shown },
            { key: 'outcome', label: 'Outcome', value: (r) => r.outcome },
            { key: 'used_feature_after', label: 'Adopted the feature after', value: (r) => r.usedFeatureAfter, show: (r) => (r.usedFeatureAfter ? 'yes' : 'no') },
          ],
        }),
        table<TimelineEvent>({
          id: 'timeline', title: 'Events, newest first', rows: timeline.events, empty: 'No events match.',
          columns: [
            { key: 'timestamp', label: `Time (${p.tz})`, value: (r) => r.timestamp, show: (r) => fmtInstant(r.timestamp, p.tz) },
            { key: 'event', label: 'Event', value: (r) => r.event },
            { key: 'element_text', label: 'Element text', value: (r) => r.elementText },
            { key: 'url', label: 'URL', value: (r) => r.url, show: (r) => <span class="url">{r.url}</span> },
            { key: 'features', label: 'Features', value: (r) => r.features.join(' '), show: (r) => r.features.map((f) => names.get(f) ?? f).join(', ') },
            { key: 'account_id', label: 'Account', value: (r) => r.accountId, show: (r) => (r.accountId ? <AccountLink id={r.accountId} asOf={asOf} /> : '—') },
            { key: 'uuid', label: 'Event id', value: (r) => r.uuid, csvOnly: true },
          ],
        }),
      ]
    },
    view: ({ profile: d, timeline }, p, kit) => {
      const traits = Object.entries(d.traits)
      const base = { tz: p.tz, event: p.event, feature: p.feature, limit: p.limit }
      return (
        <>
          <p class="muted">{d.person !== id ? <>Merged into <PersonLink id={d.person} />. </> : null}Times in {p.tz}.</p>
          <Figures label="Person figures" items={[
            { id: 'first-seen', label: 'First seen', value: fmtInstant(d.firstSeen, p.tz) },
            { id: 'last-seen', label: 'Last seen', value: fmtInstant(d.lastSeen, p.tz) },
            { id: 'active-days', label: 'Active days', value: fmtNum(d.activeDays) },
            { id: 'events', label: 'Events', value: fmtNum(d.events) },
          ]} />
          {traits.length ? (
            <dl class="traits" aria-label="Traits">{traits.map(([k, v]) => <div><dt>{k}</dt><dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd></div>)}</dl>
          ) : null}
          <div class="cols-2">
            {kit.table('identities')}
            {kit.table('accounts')}
          </div>
          <div class="cols-2">
            {kit.table('features')}
            {kit.table('nudges')}
          </div>
          {kit.table('timeline')}
          <nav class="pager" aria-label="Timeline pages">
            {p.cursor ? <a href={urlWith(self, base)} data-page="newest">Newest events</a> : null}
            {timeline.nextCursor ? <a href={urlWith(self, { ...base, cursor: timeline.nextCursor })} data-page="older">Older events</a> : null}
          </nav>
        </>
      )
    },
  }
}
