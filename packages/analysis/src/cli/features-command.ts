import type { FeatureDefinition } from '../features/rules.js'
import { createFeature, deleteFeature, featureHistory, getFeature, listFeatures, updateFeature } from '../features/store.js'
import { suggestFeatures, type FeatureSuggestion } from '../features/suggest.js'
import { parseFlags } from './args.js'
import { CliError, type CliContext } from './context.js'
import { render } from './format.js'
import type { ReportCommand } from './registry.js'
import { featureTables, suggestionTables } from './tables.js'

const USAGE = `features [list]
features show <id> | history <id> | delete <id>
features create --name NAME --rule JSON [--rule JSON …] [--id ID] [--description TEXT]
features update <id> --name NAME --rule JSON [--rule JSON …] [--description TEXT]
features suggest [--days 30] [--limit 30]
  a rule: '{"type":"element","selector":".toolbar button.export"}', '{"type":"element","text":"Export","textMatch":"contains"}',
          '{"type":"url","pattern":"/reports/*"}', '{"type":"event","name":"report_generated"}', '{"type":"feature_key","key":"export"}'`

function definitionFrom(flags: Record<string, unknown>): { id?: string; name: string; description?: string; rules: unknown[] } {
  const name = flags.name
  if (typeof name !== 'string') throw new CliError('--name is required', 2)
  const rules = ((flags.rule as string[] | undefined) ?? []).map((r) => {
    try {
      return JSON.parse(r) as unknown
    } catch {
      throw new CliError(`--rule is not JSON: ${r}`, 2)
    }
  })
  if (!rules.length) throw new CliError('at least one --rule is required', 2)
  return {
    name,
    rules,
    ...(typeof flags.id === 'string' ? { id: flags.id } : {}),
    ...(typeof flags.description === 'string' ? { description: flags.description } : {}),
  }
}

const one = (id: string | undefined): string => {
  if (!id) throw new CliError('which feature? give its id', 2)
  return id
}

/** `tenure report features …`: define features after the fact, list them, and get suggestions. */
export const FEATURES_COMMAND: ReportCommand = {
  name: 'features',
  summary: 'list, define, change and delete features; suggest candidates from clicks',
  usage: USAGE,
  async run(argv: string[], ctx: CliContext): Promise<string> {
    const { flags, positionals } = parseFlags(argv, ['name', 'id', 'description', 'days', 'limit'], { multiple: ['rule'] })
    const [action = 'list', id] = positionals
    const http = ctx.http
    const list = (fs: FeatureDefinition[]) => render(ctx.format, fs, featureTables(fs))
    switch (action) {
      case 'list': {
        const fs = http ? ((await http.request('GET', '/v1/features')) as { features: FeatureDefinition[] }).features : await listFeatures(ctx.client, ctx.projectId)
        return list(fs)
      }
      case 'show': {
        const f = http ? ((await http.request('GET', `/v1/features/${encodeURIComponent(one(id))}`)) as FeatureDefinition) : await getFeature(ctx.client, ctx.projectId, one(id))
        if (!f) throw new CliError(`no feature ${id}`)
        return list([f])
      }
      case 'history': {
        const fs = http
          ? ((await http.request('GET', `/v1/features/${encodeURIComponent(one(id))}/history`)) as { versions: FeatureDefinition[] }).versions
          : await featureHistory(ctx.client, ctx.projectId, one(id))
        return list(fs)
      }
      case 'create': {
        const body = definitionFrom(flags)
        return list([http ? ((await http.request('POST', '/v1/features', undefined, body)) as FeatureDefinition) : await createFeature(ctx.client, ctx.projectId, body as never)])
      }
      case 'update': {
        const body = definitionFrom(flags)
        const fid = one(id)
        return list([
          http
            ? ((await http.request('PUT', `/v1/features/${encodeURIComponent(fid)}`, undefined, body)) as FeatureDefinition)
            : await updateFeature(ctx.client, ctx.projectId, fid, body as never),
        ])
      }
      case 'delete': {
        const fid = one(id)
        if (http) await http.request('DELETE', `/v1/features/${encodeURIComponent(fid)}`)
        else await deleteFeature(ctx.client, ctx.projectId, fid)
        return `deleted ${fid}`
      }
      case 'suggest': {
        const q = { days: flags.days as string | undefined, limit: flags.limit as string | undefined }
        const s = http
          ? ((await http.request('GET', '/v1/features/suggestions', q)) as { suggestions: FeatureSuggestion[] }).suggestions
          : await suggestFeatures(ctx.client, { project: ctx.projectId, ...(q.days ? { days: q.days } : {}), ...(q.limit ? { limit: q.limit } : {}) } as never)
        return render(ctx.format, s, suggestionTables(s))
      }
      default:
        throw new CliError(`unknown action "${action}"\n${USAGE}`, 2)
    }
  },
}
