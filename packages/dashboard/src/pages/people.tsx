import { searchPeople, type PersonMatch } from '@tenure/analysis'
import { z } from 'zod'
import { fmtInstant, PersonLink } from '../components/person-link.js'
import { parseParams } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'

const Params = z.object({ q: z.string().trim().max(200).default('') })
type P = z.infer<typeof Params>

/** Find a person by (part of) their user id or anonymous id. */
export const peoplePage: PageDef<P, PersonMatch[]> = {
  nav: 'people',
  title: 'People',
  path: () => '/app/people',
  intro: <p>Search by user id or anonymous id; ids that start with the text come first, then the most recently seen.</p>,
  fields: [{ name: 'q', label: 'User or anonymous id', type: 'text', width: 'l', placeholder: 'e.g. user_042' }],
  // With a segment, only its people are found.
  segments: true,
  parse: (q) => parseParams(Params, q),
  values: (p) => ({ q: p.q }),
  load: (ctx, p) => (p.q ? searchPeople(ctx.client, ctx.project.id, p.q, 100, { segment: ctx.segment }) : Promise.resolve([])),
  tables: (d, p) => [
    table<PersonMatch>({
      id: 'people', title: p.q ? `People matching “${p.q}”` : 'People', rows: d, empty: p.q ? 'Nobody has an id containing this text.' : 'Type part of an id above.',
      columns: [
        { key: 'id', label: 'Person', value: (r) => r.id, show: (r) => <PersonLink id={r.id} /> },
        { key: 'last_seen', label: 'Identity last updated (UTC)', value: (r) => r.lastSeen, show: (r) => fmtInstant(r.lastSeen) },
      ],
    }),
  ],
  view: (_d, _p, kit) => kit.table('people'),
}
