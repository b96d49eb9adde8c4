/** The demo page of the end-to-end tests: a small SaaS screen with the script tag. */
export interface PageOptions {
  gateway: string
  writeKey: string
  flushInterval?: number
}

export function appPage(o: PageOptions): (site: string) => string {
  return (site) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Projects</title>
<script async src="${site}/tenure.js" data-key="${o.writeKey}" data-host="${o.gateway}" data-flush-interval="${o.flushInterval ?? 400}"></script>
<style>
  button, .card { display:block; margin: 12px; padding: 8px; }
  .row button { display:inline-block; margin: 0 40px 0 0; }
  .card { cursor: pointer; border: 1px solid #ccc; }
</style>
</head><body>
<nav>
  <a href="/app/reports?access_token=leaky" id="nav-reports" data-spa><svg width="16" height="16"><path id="nav-icon" d="M0 0h16v16H0z"/></svg> Reports</a>
</nav>
<main data-feature="projects">
  <button id="create" class="btn primary" data-testid="create-project">Create project</button>
  <p id="plain">Plain text nobody can click.</p>
  <div class="card" id="card" data-feature="project-card"><span id="card-title">Apollo</span></div>
  <div class="row"><button id="b1">One</button><button id="b2">Two</button><button id="b3">Three</button><button id="b4">Four</button><button id="b5">Five</button></div>
  <form id="signup" data-feature="signup">
    <input name="email" id="email" placeholder="Email">
    <input type="password" name="password" id="pw">
    <input name="card_number" id="cc">
    <textarea name="note" id="note"></textarea>
    <button type="submit" id="submit">Sign up</button>
  </form>
  <section data-tenure-no-capture><button id="private">Private</button></section>
  <x-widget id="widget" data-feature="widget"></x-widget>
</main>
<script>
  customElements.define('x-widget', class extends HTMLElement {
    connectedCallback() {
      this.attachShadow({ mode: 'open' }).innerHTML = '<div class="inner"><button id="shadow-btn"><span id="shadow-icon">★</span> Star</button></div>'
    }
  })
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-spa]')
    if (!a) return
    e.preventDefault()
    history.pushState({}, '', a.getAttribute('href'))
    document.title = 'Reports'
  })
  document.getElementById('signup').addEventListener('submit', (e) => e.preventDefault())
</script>
</body></html>`
}

/** The snippet form: calls made before the script loads are queued, then replayed in order. */
export const SNIPPET = (src: string) =>
  `!function(w,d,s){var t=w.tenure=w.tenure||[];if(t.init)return;"init track identify group reset optIn optOut flush use".split(" ").forEach(function(m){t[m]=t[m]||function(){t.push([m].concat([].slice.call(arguments)))}});s=d.createElement("script");s.async=1;s.src=${JSON.stringify(src)};d.head.appendChild(s)}(window,document);`

export function snippetPage(o: PageOptions): (site: string) => string {
  return (site) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Snippet</title>
<script>
${SNIPPET(`${site}/tenure.js`)}
tenure.init({ key: ${JSON.stringify(o.writeKey)}, host: ${JSON.stringify(o.gateway)}, flushInterval: 400 });
tenure.identify('user-snippet', { plan: 'pro' });
tenure.group('acct-snippet', { name: 'Snippet Inc' });
tenure.track('Opened before load', { early: true });
</script>
</head><body><button id="go">Go</button></body></html>`
}
