import { describe, expect, it } from 'vitest'
import { fitGroupedLogistic, groupedPredict, sparsePredict, sparseRows } from '../stats/grouped-logistic.js'
import { adjustedEffect, placeboDesign, placeboEffect } from './adjusted-effect.js'
import { cellKey, cellRow, codePopulation, type PersonRow } from './covariates.js'
import { seededRandom } from './placebo.js'
import { firstWeeks, UNKNOWN_ORIGIN as UNKNOWN } from './__fixtures__/first-weeks.js'

/** 600 people with varied first weeks; retention rises with activity. */
const people = (): PersonRow[] =>
  firstWeeks(600, 7, (random) => [0, 1, 2, 3].filter(() => random() < 0.3), (random) => ({
    device: random() < 0.3 ? 'mobile' : 'desktop',
    source: random() < 0.2 ? 'google' : '',
  }))

/** Users of feature 0 against the others: the crude risk ratio, and the adjusted effect (no own events). */
function compareUsers(rows: PersonRow[]) {
  const pop = codePopulation(rows, 7)
  const exposed = Uint8Array.from(rows, (r) => (r.used.includes(0) ? 1 : 0))
  const rate = (e: number) => rows.filter((r, i) => exposed[i] === e && r.retained).length / rows.filter((_, i) => exposed[i] === e).length
  return { pop, crude: rate(1) / rate(0), adjusted: adjustedEffect(pop, exposed, new Float64Array(rows.length)) }
}

describe('placeboEffect', () => {
  it('gives exactly what adjustedEffect gives without own events, on cells built once', () => {
    const pop = codePopulation(people(), 7)
    const design = placeboDesign(pop)
    const random = seededRandom(11)
    for (let k = 0; k < 5; k++) {
      const exposed = Uint8Array.from({ length: pop.size }, () => (random() < 0.2 ? 1 : 0))
      const a = adjustedEffect(pop, exposed, null)
      expect(a.riskRatio).not.toBeNull()
      expect(placeboEffect(pop, design, exposed)).toEqual(a)
      const start = { start: { propensity: a.propensity, outcome: a.outcome } }
      expect(placeboEffect(pop, design, exposed, start)).toEqual(adjustedEffect(pop, exposed, null, start))
    }
  })
})

describe('adjustedEffect', () => {
  it('compares a feature shipped mid-range with people who joined as late, not with the earlier cohorts', () => {
    // Later cohorts return more, and only people joining on day 10 or later can use the feature; nothing else differs.
    const random = seededRandom(5)
    const rows: PersonRow[] = Array.from({ length: 4000 }, () => {
      const joined = Math.floor(random() * 20)
      const active = 1 + Math.floor(random() * 7)
      return {
        retained: random() < 0.15 + 0.03 * joined,
        active,
        late: Math.min(3, Math.floor(random() * 4)),
        events: active * (1 + Math.floor(random() * 10)),
        sessions: active + Math.floor(random() * 3),
        used: joined >= 10 && random() < 0.5 ? [0] : [],
        accountSize: 0,
        plan: '',
        joined,
        ...UNKNOWN,
      }
    })
    const { crude, adjusted, pop } = compareUsers(rows)
    expect(crude).toBeGreaterThan(1.3)
    expect(adjusted.riskRatioLow!).toBeLessThan(1)
    expect(adjusted.riskRatioHigh!).toBeGreaterThan(1)
    expect(Math.abs(Math.log(adjusted.riskRatio!))).toBeLessThan(0.08)
    expect(pop.covariates).toContain('day joined within the range (quartiles)')
  })
})

describe('adjustedEffect on where people come from', () => {
  // Mobile people and people from a campaign return less and can hardly reach the feature; their first weeks look like everyone's.
  function world(seed: number): PersonRow[] {
    const random = seededRandom(seed)
    return Array.from({ length: 4000 }, () => {
      const device = random() < 0.4 ? 'mobile' : random() < 0.1 ? 'tablet' : 'desktop'
      const source = random() < 0.3 ? 'ads.example' : random() < 0.2 ? 'news.example' : ''
      const active = 1 + Math.floor(random() * 7)
      const pace = (device === 'mobile' ? 0.5 : 1) * (source === 'ads.example' ? 0.6 : 1)
      return {
        retained: random() < 0.5 * pace,
        active,
        late: Math.min(3, Math.floor(random() * 4)),
        events: active * (1 + Math.floor(random() * 10)),
        sessions: active + Math.floor(random() * 3),
        used: random() < (device === 'mobile' || source === 'ads.example' ? 0.05 : 0.5) ? [0] : [],
        accountSize: 0,
        plan: '',
        joined: Math.floor(random() * 20),
        ...UNKNOWN,
        device,
        source,
      }
    })
  }

  it('finds no effect where device type and source explain the crude lift', () => {
    for (const seed of [3, 4]) {
      const { crude, adjusted } = compareUsers(world(seed))
      expect(crude).toBeGreaterThan(1.4)
      expect(adjusted.riskRatioLow!).toBeLessThan(1)
      expect(adjusted.riskRatioHigh!).toBeGreaterThan(1)
      expect(Math.abs(Math.log(adjusted.riskRatio!))).toBeLessThan(0.1)
    }
  })

  it('codes the commonest value as the reference and leaves out a value everyone shares', () => {
    const rows = world(3)
    const pop = codePopulation(rows, 7)
    expect(pop.covariates).toContain('device type of the first page view')
    expect(pop.covariates).toContain('source of the first page view (UTM source, else referring domain)')
    const same = codePopulation(rows.map((r) => ({ ...r, device: 'desktop', source: '' })), 7)
    expect(same.covariates).not.toContain('device type of the first page view')
    expect(same.covariates).not.toContain('source of the first page view (UTM source, else referring domain)')
    expect(same.columns).toBe(pop.columns - 2 - 2)
  })
})

/**
 * 4,000 people of whom one kind (`favoured`) returns more and mostly uses feature 0; their first
 * weeks look like everyone's. `kindOf` draws a person's kind and the fields that show it.
 */
function oneKindWorld(
  seed: number,
  kindOf: (random: () => number, i: number) => { favoured: boolean; fields: Partial<PersonRow> },
  rates = { retained: [0.6, 0.3], used: [0.5, 0.05] },
): PersonRow[] {
  const random = seededRandom(seed)
  return Array.from({ length: 4000 }, (_, i) => {
    const { favoured, fields } = kindOf(random, i)
    const active = 1 + Math.floor(random() * 7)
    const pick = ([yes, no]: number[]) => (favoured ? yes! : no!)
    return {
      retained: random() < pick(rates.retained),
      active,
      late: Math.min(3, Math.floor(random() * 4)),
      events: active * (1 + Math.floor(random() * 10)),
      sessions: active + Math.floor(random() * 3),
      used: random() < pick(rates.used) ? [0] : [],
      accountSize: 0,
      plan: '',
      joined: Math.floor(random() * 20),
      ...UNKNOWN,
      ...fields,
    }
  })
}

/** The adjusted comparison finds no effect where the kind explains the crude lift, and names the covariate. */
function expectExplained(rows: PersonRow[], covariate: string): void {
  const { crude, adjusted, pop } = compareUsers(rows)
  expect(crude).toBeGreaterThan(1.4)
  expect(adjusted.riskRatioLow!).toBeLessThan(1)
  expect(adjusted.riskRatioHigh!).toBeGreaterThan(1)
  expect(Math.abs(Math.log(adjusted.riskRatio!))).toBeLessThan(0.1)
  expect(pop.covariates).toContain(covariate)
}

describe('adjustedEffect on one kind of person', () => {
  it('finds no effect where the country people came from explains the crude lift', () => {
    const country = (random: () => number) => {
      const c = random() < 0.4 ? 'BR' : random() < 0.3 ? 'DE' : 'US'
      return { favoured: c !== 'BR', fields: { country: c } }
    }
    for (const seed of [8, 9]) expectExplained(oneKindWorld(seed, country, { retained: [0.5, 0.12], used: [0.45, 0.05] }), 'country of the first page view')
  })

  it('finds no effect where the browser and system people came with explain the crude lift', () => {
    const client = (random: () => number) => {
      const c = random() < 0.35 ? 'Safari on Mac OS' : random() < 0.5 ? 'Chrome on Windows' : 'Chrome on Mac OS'
      return { favoured: c !== 'Safari on Mac OS', fields: { client: c } }
    }
    for (const seed of [61, 62]) expectExplained(oneKindWorld(seed, client, { retained: [0.5, 0.15], used: [0.45, 0.04] }), 'browser and operating system of the first page view')
  })

  it('finds no effect where the page people landed on explains the crude lift', () => {
    const landing = (random: () => number) => {
      const path = random() < 0.3 ? '/docs/getting-started' : random() < 0.5 ? '/pricing' : '/'
      return { favoured: path.startsWith('/docs'), fields: { landing: path } }
    }
    for (const seed of [23, 26]) expectExplained(oneKindWorld(seed, landing), 'path of the first page view')
  })

  it('finds no effect where the weekday people started on explains the crude lift', () => {
    // Day N of people who start on a Saturday or Sunday is a weekend day too, when few come back;
    // a feature used on weekdays only is used by those who start on one.
    const weekday = (random: () => number) => {
      const day = Math.floor(random() * 7)
      return { favoured: day < 5, fields: { weekday: day } }
    }
    for (const seed of [41, 42]) expectExplained(oneKindWorld(seed, weekday, { retained: [0.5, 0.1], used: [0.5, 0.01] }), 'day of the week of day 0')
  })

  it('finds no effect where the part of the day people use the product in explains the crude lift', () => {
    // Evening people (trying it for themselves) drift away; a feature used at work is used by the others.
    const part = (random: () => number) => {
      const evening = random() < 0.35
      return { favoured: !evening, fields: { dayPart: evening ? 'evening (18–24)' : random() < 0.5 ? 'morning (6–12)' : 'afternoon (12–18)' } }
    }
    for (const seed of [71, 72]) expectExplained(oneKindWorld(seed, part, { retained: [0.5, 0.12], used: [0.45, 0.05] }), 'part of the day most of their activity in the window fell in (night, morning, afternoon, evening)')
  })

  it('finds no effect where joining a team long at work explains the crude lift', () => {
    // Everyone is in an account of four; those who join one active for weeks find it set up.
    const settled = (random: () => number) => {
      const age = random() < 0.35 ? 7 + Math.floor(random() * 40) : Math.floor(random() * 7)
      return { favoured: age >= 7, fields: { accountAge: age, founder: age === 0, accountSize: 4 } }
    }
    for (const seed of [51, 52]) expectExplained(oneKindWorld(seed, settled), 'days their account had been active before day 0 (0, 1–6, 7–27, 28+)')
    // Where no one joined a team one to four weeks at work, that bucket joins the one below it.
    const apart = oneKindWorld(51, settled).map((r) => ({ ...r, accountAge: r.accountAge >= 7 ? r.accountAge + 21 : r.accountAge }))
    expect(codePopulation(apart, 7).covariates).toContain('days their account had been active before day 0 (0, 1–27, 28+)')
  })

  it('finds no effect where being first in the account explains the crude lift', () => {
    const founder = (random: () => number) => {
      const first = random() < 0.3
      return { favoured: first, fields: { founder: first, accountSize: 4 } }
    }
    for (const seed of [31, 32]) expectExplained(oneKindWorld(seed, founder), 'first of their account to be active')
  })
})

describe('adjustedEffect on traits sent by identify calls', () => {
  // Each person also has an email and a name (traits with as many values as people, which name no
  // kind) and a true/false trait.
  const world = (seed: number) =>
    oneKindWorld(seed, (random, i) => {
      const role = random() < 0.3 ? 'admin' : 'member'
      return { favoured: role === 'admin', fields: { traits: { role, email: `p${i}@example.com`, name: `Person ${i}` } } }
    }).map((r, i) => ({ ...r, traits: { ...r.traits, beta: String(seededRandom(seed * 10_000 + i)() < 0.5) } }))

  it('finds no effect where an industry sent by group calls explains the crude lift', () => {
    const industry = (random: () => number) => {
      const kind = random() < 0.4 ? 'software' : random() < 0.5 ? 'retail' : 'health'
      return { favoured: kind === 'software', fields: { accountSize: 5, accountTraits: { industry: kind } } }
    }
    for (const seed of [71, 72]) expectExplained(oneKindWorld(seed, industry), 'account trait "industry"')
  })

  it('finds no effect where a company size sent as a number explains the crude lift', () => {
    // Employees from 5 to 5,000, as many companies in each tenfold range.
    const employees = (random: () => number) => {
      const n = Math.round(5 * 10 ** (3 * random()))
      return { favoured: n >= 500, fields: { accountSize: 5, measures: { 'account trait "employees"': n } } }
    }
    for (const seed of [81, 82]) expectExplained(oneKindWorld(seed, employees), 'account trait "employees" (under 10, 10–20, 20–50, 50–100, 100–200, 200–500, 500–1000, 1000–2000, 2000+)')
  })

  it('finds no effect where a role sent by identify explains the crude lift', () => {
    for (const seed of [12, 13]) expectExplained(world(seed), 'identify trait "role"')
  })

  it('takes traits that name a kind of person, not identifiers, and at most three', () => {
    const rows = world(12)
    expect(codePopulation(rows, 7).covariates.filter((c) => c.startsWith('identify trait'))).toEqual(['identify trait "beta"', 'identify trait "role"'])
    // A trait few people have is left out; of many traits, the most widely held three are kept.
    const many = rows.map((r, i) => ({ ...r, traits: { ...r.traits, team: ['a', 'b', 'c'][i % 3]!, tier: i % 2 ? 'x' : 'y', ...(i < 100 ? { rare: String(i % 2) } : {}) } }))
    const names = codePopulation(many, 7).covariates.filter((c) => c.startsWith('identify trait'))
    expect(names).toHaveLength(3)
    expect(names).not.toContain('identify trait "rare"')
  })
})

describe('sparsePredict', () => {
  it('predicts what groupedPredict predicts', () => {
    const x = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0])
    const fit = fitGroupedLogistic({ x, p: 3, trials: Float64Array.from([10, 20, 30, 40]), successes: Float64Array.from([2, 9, 20, 33]) })
    const sparse = sparseRows(x, 3, 4)
    for (let i = 0; i < 4; i++) expect(sparsePredict(fit, sparse, i)).toBe(groupedPredict(fit, x, 3, i))
  })
})

describe('codePopulation with many covariates', () => {
  it('tells every combination apart where a product of the codes would outgrow exact numbers', () => {
    // Every block varies; the sizes span nine, four and six tenfold ranges.
    const random = seededRandom(91)
    const pick = () => `v${Math.floor(random() * 10)}`
    const rows: PersonRow[] = Array.from({ length: 3000 }, () => ({
      retained: random() < 0.4,
      active: 1 + Math.floor(random() * 7), late: Math.floor(random() * 4), events: 10, sessions: 1 + Math.floor(random() * 20), used: [], accountSize: 4, joined: Math.floor(random() * 30),
      ...UNKNOWN,
      founder: random() < 0.3, accountAge: Math.floor(random() * 60),
      plan: pick(), device: pick(), source: pick(), country: pick(), landing: pick(), client: pick(),
      weekday: Math.floor(random() * 7),
      traits: { a: pick(), b: pick(), c: pick() },
      accountTraits: { d: pick(), e: pick(), f: pick() },
      measures: { 'account trait "employees"': Math.round(10 ** (9 * random())), 'identify trait "seats"': Math.round(10 ** (4 * random())), 'account trait "revenue"': Math.round(10 ** (6 * random())) },
    }))
    // Pairs of people alike but in the last block's code: neighbours in a product of the codes.
    for (let i = 0; i < 400; i += 2) rows[i + 1] = { ...rows[i]!, measures: { ...rows[i]!.measures, 'identify trait "seats"': 3 } }
    for (let i = 0; i < 400; i += 2) rows[i] = { ...rows[i]!, measures: { ...rows[i]!.measures, 'identify trait "seats"': 3000 } }
    const pop = codePopulation(rows, 7)
    expect(pop.blocks.reduce((product, b) => product * b.radix, 1)).toBeGreaterThan(Number.MAX_SAFE_INTEGER)
    // Drawn from far more combinations than people, no two people share a cell unless they are alike;
    // each pair must be two cells, and each cell one row of columns.
    const combinationOf = new Map<number, string>()
    const decoded = new Set<string>()
    rows.forEach((r, i) => {
      const key = cellKey(pop, i, 0, 0)
      const combination = JSON.stringify([r.active, r.late, r.plan, r.device, r.source, r.country, r.landing, r.client, r.weekday, r.traits, r.accountTraits, r.measures['identify trait "seats"'] === 3])
      expect(combinationOf.get(key) ?? combination).toBe(combination)
      combinationOf.set(key, combination)
      decoded.add(cellRow(pop, key).join(''))
    })
    expect(decoded.size).toBe(combinationOf.size)
  })
})
