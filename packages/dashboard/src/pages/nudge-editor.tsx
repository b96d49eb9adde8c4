import type { FeatureDefinition } from '@tenure/analysis'
import { Layout } from '../components/layout.js'
import { ErrorBox } from '../components/states.js'
import type { PageCtx } from '../context.js'
import type { NudgeFormValues } from '../nudge-form.js'

interface Props {
  ctx: PageCtx
  features: FeatureDefinition[]
  values: NudgeFormValues
  error?: { message: string; field: string | null }
  /** Editing this stored nudge (a new version); creating a draft when absent. */
  editing?: { id: string; version: number; started: boolean }
}

/** The form that creates a nudge as a draft (it goes live with Start), or edits one into a new version. */
export function NudgeEditor(props: Props) {
  const v = props.values
  const e = props.editing
  const title = e ? `Edit nudge ${e.id}` : 'New nudge'
  const bad = (name: string) => (props.error?.field === name ? 'true' : undefined)
  const input = (name: keyof NudgeFormValues, label: string, extra: Record<string, unknown> = {}) => (
    <label for={`n-${name}`}>
      <span>{label}</span>
      <input id={`n-${name}`} name={name} value={v[name]} aria-invalid={bad(name)} {...extra} />
    </label>
  )
  return (
    <Layout title={title} nav="nudges" project={props.ctx.project} navKeys={props.ctx.navKeys}>
      <p class="crumbs"><a href="/app/nudges">Nudges</a> ›</p>
      <h1>{title}</h1>
      {e ? <p class="muted">Saving stores version {e.version + 1}; earlier versions stay in the nudge's history.{e.started ? ' Its target feature and holdout share are fixed since it started.' : ''}</p> : null}
      {props.error ? <ErrorBox title="Not saved" message={props.error.message} field={props.error.field} /> : null}
      {props.features.length === 0 ? (
        <ErrorBox title="Define a feature first" message="A nudge steers users to a feature; this project has no feature definitions yet.">
          <p><a href="/app/features">Define features</a></p>
        </ErrorBox>
      ) : null}
      <form method="post" action={e ? `/app/nudges/${encodeURIComponent(e.id)}/edit` : '/app/nudges'} class="editor">
        <div class="row">
          {input('name', 'Name', { required: true, maxlength: 200, class: 'w-l' })}
          {e ? null : input('id', 'Id (optional, lower-case)', { maxlength: 64, class: 'w-m' })}
          <label for="n-feature">
            <span>Steers users to</span>
            <select id="n-feature" name="feature" required aria-invalid={bad('feature')}>
              <option value="">— choose a feature —</option>
              {props.features.map((f) => (
                <option value={f.id} selected={v.feature === f.id}>{f.name}</option>
              ))}
            </select>
          </label>
        </div>
        <fieldset>
          <legend>Who sees it</legend>
          <div class="row">
            {input('first_days', 'New users in their first … days', { type: 'number', min: 1, max: 365, class: 'w-s' })}
            {input('pages', 'On pages (patterns, comma-separated; empty = all)', { class: 'w-l', placeholder: '/dashboard, /reports/**' })}
            {input('plans', 'Plans (comma-separated; empty = all)', { class: 'w-m' })}
          </div>
          <label for="n-anonymous" class="check">
            <input type="checkbox" id="n-anonymous" name="anonymous" checked={v.anonymous === 'on'} />
            <span>Also visitors who have not signed in (by default only identified users see it)</span>
          </label>
          <p class="muted">Users who already used the feature never see it, nor anyone after they dismissed it.</p>
        </fieldset>
        <fieldset>
          <legend>Where</legend>
          <div class="row">
            <label for="n-placement">
              <span>Placement</span>
              <select id="n-placement" name="placement">
                <option value="banner" selected={v.placement === 'banner'}>Banner</option>
                <option value="tooltip" selected={v.placement === 'tooltip'}>Tooltip on an element</option>
              </select>
            </label>
            <label for="n-position">
              <span>Banner position</span>
              <select id="n-position" name="position">
                <option value="bottom" selected={v.position === 'bottom'}>Bottom</option>
                <option value="top" selected={v.position === 'top'}>Top</option>
              </select>
            </label>
            {input('selector', 'Tooltip element (selector)', { class: 'w-m', placeholder: 'button.connect' })}
            <label for="n-side">
              <span>Tooltip side</span>
              <select id="n-side" name="side">
                {['bottom', 'top', 'left', 'right'].map((s) => (
                  <option value={s} selected={v.side === s}>{s}</option>
                ))}
              </select>
            </label>
          </div>
        </fieldset>
        <fieldset>
          <legend>What it says (plain text)</legend>
          <div class="row">
            {input('title', 'Title', { maxlength: 120, class: 'w-l' })}
          </div>
          <label for="n-body">
            <span>Message</span>
            <textarea id="n-body" name="body" rows={2} maxlength={500} required aria-invalid={bad('body')}>{v.body}</textarea>
          </label>
          <div class="row">
            {input('cta_label', 'Button label', { maxlength: 60, class: 'w-m' })}
            {input('cta_url', 'Button link', { maxlength: 2000, class: 'w-l', placeholder: '/reports' })}
          </div>
        </fieldset>
        <fieldset>
          <legend>How often, and the holdout</legend>
          <div class="row">
            {input('max_shows', 'Show at most … times', { type: 'number', min: 1, max: 100, class: 'w-s' })}
            {input('min_hours', 'Hours between showings', { type: 'number', min: 0, step: 'any', class: 'w-s' })}
            {input('holdout_pct', 'Held out (%)', { type: 'number', min: 0, max: 90, step: 'any', class: 'w-s' })}
          </div>
          <p class="muted">Held-out users are picked by a stable hash of their id and never see the nudge; they are the comparison in the report.</p>
        </fieldset>
        <div class="row">
          <button type="submit">{e ? 'Save as a new version' : 'Create nudge (draft)'}</button>
          <a href="/app/nudges">Cancel</a>
        </div>
      </form>
    </Layout>
  )
}
