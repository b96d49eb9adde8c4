import { Layout } from '../components/layout.js'
import { ErrorBox } from '../components/states.js'
import type { PageCtx } from '../context.js'
import { RULE_TYPES, type FeatureFormValues } from '../feature-form.js'

export interface EditorProps {
  ctx: PageCtx
  /** Null for a new feature. */
  featureId: string | null
  version?: number
  values: FeatureFormValues
  error?: { message: string; field: string | null }
}

/**
 * Create or edit a feature definition: name, id, description and rule slots. The preview counts
 * what the rules match as they are typed (app.js posts the form to the preview endpoint).
 */
export function FeatureEditor(props: EditorProps) {
  const { values, featureId } = props
  const isNew = featureId === null
  const action = isNew ? '/app/features' : `/app/features/${encodeURIComponent(featureId)}`
  const title = isNew ? 'New feature' : `Edit ${values.name || featureId}`
  return (
    <Layout title={title} nav="features" project={props.ctx.project} navKeys={props.ctx.navKeys}>
      <p class="crumbs"><a href="/app/features">Features</a> ›</p>
      <h1>{title}</h1>
      {props.error ? <ErrorBox title="Not saved" message={props.error.message} field={props.error.field} /> : null}
      <form method="post" action={action} class="editor" data-preview="/app/api/features/preview" aria-describedby="preview">
        <div class="row">
          <label for="f-name">
            <span>Name</span>
            <input id="f-name" name="name" class="w-l" required maxlength={200} value={values.name} aria-invalid={props.error?.field === 'name' ? 'true' : undefined} />
          </label>
          {isNew ? (
            <label for="f-id">
              <span>Id (optional, lower-case)</span>
              <input id="f-id" name="id" class="w-m" maxlength={64} pattern="[a-z0-9][a-z0-9_\-]{0,63}" value={values.id} aria-invalid={props.error?.field === 'id' ? 'true' : undefined} />
            </label>
          ) : (
            <p class="muted">
              Id <code>{featureId}</code>, version {props.version}. Saving makes a new version; reports recompute history with it.
            </p>
          )}
        </div>
        <label for="f-description">
          <span>Description</span>
          <textarea id="f-description" name="description" rows={2} maxlength={2000}>{values.description}</textarea>
        </label>
        <p class="muted">An event is a use of the feature when it matches any of the rules.</p>
        {values.rules.map((r, i) => (
          <fieldset>
            <legend>Rule {i + 1}</legend>
            <div class="row">
              <label for={`r${i}-type`}>
                <span>Kind</span>
                <select id={`r${i}-type`} name={`r${i}_type`}>
                  <option value="" selected={r.type === ''}>— none —</option>
                  {RULE_TYPES.map((t) => (
                    <option value={t.value} selected={r.type === t.value}>{t.label}</option>
                  ))}
                </select>
              </label>
              <label for={`r${i}-value`}>
                <span>Selector, key, URL pattern or event name</span>
                <input id={`r${i}-value`} name={`r${i}_value`} class="w-l" maxlength={500} value={r.value} aria-invalid={props.error?.field?.startsWith(`rules.${i}`) ? 'true' : undefined} />
              </label>
              <label for={`r${i}-text`}>
                <span>Element text (clicked elements)</span>
                <input id={`r${i}-text`} name={`r${i}_text`} class="w-m" maxlength={200} value={r.text} />
              </label>
              <label for={`r${i}-match`}>
                <span>Text match</span>
                <select id={`r${i}-match`} name={`r${i}_match`}>
                  <option value="equals" selected={r.match === 'equals'}>exactly</option>
                  <option value="contains" selected={r.match === 'contains'}>contains (any case)</option>
                </select>
              </label>
            </div>
          </fieldset>
        ))}
        <details>
          <summary>What each kind of rule matches</summary>
          <ul>
            {RULE_TYPES.map((t) => (
              <li><strong>{t.label}</strong>: {t.help}.</li>
            ))}
          </ul>
        </details>
        <p id="preview" class="preview" aria-live="polite">The preview of what these rules match appears here (last 30 days).</p>
        <div class="row">
          <button type="submit">{isNew ? 'Create feature' : 'Save new version'}</button>
          <a href="/app/features">Cancel</a>
        </div>
      </form>
      {!isNew ? (
        <form method="post" action={`/app/features/${encodeURIComponent(featureId)}/delete`} class="inline-form">
          <button type="submit" class="danger">Delete feature</button>
        </form>
      ) : null}
    </Layout>
  )
}
