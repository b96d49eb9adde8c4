import { Layout } from '../components/layout.js'

/** The login form: the secret key goes in the POST body only, never in a URL. */
export function LoginPage(props: { next: string; error?: string }) {
  return (
    <Layout title="Log in" nav={null} project={null}>
      <div class="login">
        <h1>Log in to Tenure</h1>
        <p>Enter the project's secret key (it starts with <code>sk_</code> and was shown once, when the project was created).</p>
        {props.error ? (
          <div class="error-box" role="alert" id="login-error">
            <strong>Not logged in</strong>
            <p>{props.error}</p>
          </div>
        ) : null}
        <form method="post" action="/app/login">
          <input type="hidden" name="next" value={props.next} />
          <label for="key">
            <span>Secret key</span>
            <input
              id="key"
              name="key"
              type="password"
              autocomplete="off"
              spellcheck={false}
              required
              autofocus
              aria-describedby={props.error ? 'login-error' : undefined}
              aria-invalid={props.error ? 'true' : undefined}
            />
          </label>
          <button type="submit">Log in</button>
        </form>
      </div>
    </Layout>
  )
}
