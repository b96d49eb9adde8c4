// Planboard, the demo product. Plain JS on purpose: the point is the script tag, not a framework.
// Features are marked two ways, as in real products: some buttons carry data-feature (the SDK sends
// it as the event's feature_key), others are left to definitions made later in the dashboard
// (by text, selector, page or custom event) — the reports see both.
(function () {
  var PAGES = [
    ['dashboard.html', 'Dashboard'],
    ['projects.html', 'Projects'],
    ['reports.html', 'Reports'],
    ['integrations.html', 'Integrations'],
    ['team.html', 'Team'],
    ['billing.html', 'Billing'],
    ['help.html', 'Help'],
  ]
  // The SDK is loaded from its script tag just before this file; the demo works without it too.
  var tenure = window.tenure && window.tenure.identify ? window.tenure : { identify: noop, group: noop, track: noop, reset: noop }
  function noop() {}
  var session = JSON.parse(localStorage.getItem('planboard.session') || 'null')
  var page = location.pathname.split('/').pop() || 'index.html'

  if (page !== 'index.html' && page !== '' && !session) {
    location.replace('./')
    return
  }

  function toast(text) {
    var t = document.querySelector('.toast')
    if (!t) {
      t = document.createElement('div')
      t.className = 'toast'
      document.body.appendChild(t)
    }
    t.textContent = text
    t.classList.add('show')
    setTimeout(function () { t.classList.remove('show') }, 1500)
  }

  function sidebar() {
    var nav = document.getElementById('sidebar')
    if (!nav) return
    var items = PAGES.map(function (p) {
      var active = p[0] === page ? ' active' : ''
      return '<li><a class="nav-link' + active + '" href="./' + p[0] + '">' + p[1] + '</a></li>'
    }).join('')
    nav.innerHTML =
      '<div class="brand">Planboard</div><ul class="nav">' + items + '</ul>' +
      '<div class="who">' + escapeHtml(session.company) + '<br><button class="btn" id="sign-out">Sign out</button></div>'
    document.getElementById('sign-out').addEventListener('click', function () {
      localStorage.removeItem('planboard.session')
      tenure.reset()
      location.href = './'
    })
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';' })
  }

  // Stable, non-personal ids: the user id is a hash of the e-mail, never the e-mail itself.
  function idFor(prefix, text) {
    var h = 2166136261
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0
    return prefix + h.toString(36)
  }

  function signIn(form) {
    var email = form.querySelector('[name=email]').value.trim().toLowerCase()
    var company = form.querySelector('[name=company]').value.trim() || 'Demo Company'
    var s = { userId: idFor('user_', email), accountId: idFor('acct_', company.toLowerCase()), company: company }
    localStorage.setItem('planboard.session', JSON.stringify(s))
    tenure.identify(s.userId, { role: 'admin' })
    tenure.group(s.accountId, { name: company, plan: 'Team' })
    location.href = './dashboard.html'
  }

  document.addEventListener('submit', function (e) {
    e.preventDefault()
    var form = e.target
    if (form.id === 'login-form') return signIn(form)
    toast(form.getAttribute('data-done') || 'Saved')
    form.reset && form.reset()
  })

  document.addEventListener('click', function (e) {
    var el = e.target.closest && e.target.closest('button, a.row-link')
    // Buttons that submit a form are handled by the submit listener.
    if (!el || (el.type === 'submit' && el.form)) return
    if (el.id === 'search-button') {
      var q = document.getElementById('search-box')
      var results = q && q.value ? (q.value.length * 7) % 41 : 0
      // A custom event: the "Search" feature is defined on it, not on the click.
      tenure.track('search_performed', { results: results })
      toast(results + ' results')
      return
    }
    if (el.matches('a.row-link')) {
      e.preventDefault()
      toast('Opened ' + el.textContent)
      return
    }
    if (el.id !== 'sign-out') toast(el.getAttribute('data-done') || 'Done')
  })

  if (session) sidebar()
})()
