// Tenure dashboard: draws the uPlot charts described in data-chart attributes, and runs the live
// preview of feature definitions. Pages work without it; the tables carry every number.
;(function () {
  'use strict'

  function group(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  }
  function shortNum(v) {
    var a = Math.abs(v)
    if (a >= 1e6) return +(v / 1e6).toFixed(1) + 'M'
    if (a >= 1e4) return +(v / 1e3).toFixed(1) + 'k'
    return group(+v.toFixed(2))
  }
  var FORMAT = {
    int: function (v) { return group(Math.round(v)) },
    num: function (v) { return shortNum(v) },
    money: function (v) { return shortNum(v) },
    pct: function (v) { return +(v * 100).toFixed(1) + '%' },
  }
  function isoDay(ts) {
    return new Date(ts * 1000).toISOString().slice(0, 10)
  }

  var charts = []

  function draw(el) {
    var spec = JSON.parse(el.getAttribute('data-chart'))
    var time = spec.kind === 'time'
    var fmt = FORMAT[spec.y] || FORMAT.num
    var xs = time ? spec.x.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000 }) : spec.x
    var data = [xs].concat(spec.series.map(function (s) { return s.values }))
    var height = spec.height || 240
    var opts = {
      width: Math.max(280, el.clientWidth),
      height: height,
      // Days are calendar days already: show them as they are, whatever the viewer's zone.
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') },
      scales: { x: { time: time }, y: { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.08 : 1] } } },
      series: [
        { label: spec.xLabel || (time ? 'Day' : 'N'), value: function (u, v) { return v == null ? '—' : time ? isoDay(v) : String(v) } },
      ].concat(spec.series.map(function (s) {
        return {
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash ? [6, 4] : undefined,
          points: { show: xs.length <= 40 },
          value: function (u, v) { return v == null ? '—' : fmt(v) },
        }
      })),
      axes: [
        { label: spec.xLabel, stroke: '#52606d', grid: { stroke: '#eef2f6' } },
        { label: spec.yLabel, stroke: '#52606d', size: 64, grid: { stroke: '#eef2f6' }, values: function (u, vals) { return vals.map(fmt) } },
      ],
    }
    el.textContent = ''
    var plot = new uPlot(opts, data, el)
    el.setAttribute('data-rendered', '1')
    charts.push({ plot: plot, el: el, height: height })
  }

  function drawAll() {
    var els = document.querySelectorAll('[data-chart]')
    for (var i = 0; i < els.length; i++) {
      try {
        draw(els[i])
      } catch (err) {
        els[i].setAttribute('data-rendered', 'error')
        els[i].innerHTML = ''
        var p = document.createElement('p')
        p.className = 'error-box'
        p.textContent = 'This chart could not be drawn (' + (err && err.message ? err.message : err) + '); the table has the numbers.'
        els[i].appendChild(p)
      }
    }
  }

  var resizeTimer = 0
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer)
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) { c.plot.setSize({ width: Math.max(280, c.el.clientWidth), height: c.height }) })
    }, 150)
  })

  // Live preview of a feature definition: how many users and events the rules match.
  function preview(form) {
    var out = document.getElementById('preview')
    if (!out) return
    var timer = 0
    var seq = 0
    function run() {
      var mine = ++seq
      out.setAttribute('aria-busy', 'true')
      out.textContent = 'Counting…'
      fetch(form.getAttribute('data-preview'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form)).toString(),
        credentials: 'same-origin',
      })
        .then(function (res) {
          return res.json().then(function (body) { return { ok: res.ok, body: body } })
        })
        .then(function (r) {
          if (mine !== seq) return
          out.removeAttribute('aria-busy')
          if (!r.ok) {
            out.className = 'preview error'
            out.textContent = (r.body && r.body.error && r.body.error.message) || 'The preview failed.'
            return
          }
          out.className = 'preview'
          out.innerHTML = ''
          var b = r.body
          var strong = document.createElement('strong')
          strong.textContent = group(b.users) + ' users'
          out.appendChild(strong)
          out.appendChild(document.createTextNode(', ' + group(b.events) + ' events match' + (b.range ? ' (' + b.range + ')' : '') + '.'))
          out.setAttribute('data-users', String(b.users))
          out.setAttribute('data-events', String(b.events))
        })
        .catch(function (err) {
          if (mine !== seq) return
          out.removeAttribute('aria-busy')
          out.className = 'preview error'
          out.textContent = 'The preview failed: ' + (err && err.message ? err.message : err)
        })
    }
    form.addEventListener('input', function () {
      clearTimeout(timer)
      timer = setTimeout(run, 350)
    })
    run()
  }

  // Sortable tables: headings link to the server-sorted page; here the rows are sorted in place
  // by the same raw values (data-v), and the address is updated so the view can be shared.
  function sortInPlace(link) {
    var th = link.closest('th')
    var table = link.closest('table')
    var body = table && table.tBodies[0]
    if (!th || !body) return false
    var index = Array.prototype.indexOf.call(th.parentNode.children, th)
    var dir = link.getAttribute('data-sort-next')
    var numeric = th.classList.contains('num')
    var rows = Array.prototype.slice.call(body.rows)
    function val(tr) {
      var td = tr.cells[index]
      var v = td ? td.getAttribute('data-v') : ''
      return v === null ? '' : v
    }
    rows.sort(function (a, b) {
      var x = val(a)
      var y = val(b)
      if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1
      var c = numeric && !isNaN(+x) && !isNaN(+y) ? +x - +y : x.localeCompare(y, 'en', { numeric: true })
      return dir === 'asc' ? c : -c
    })
    rows.forEach(function (r) { body.appendChild(r) })
    var heads = th.parentNode.children
    for (var i = 0; i < heads.length; i++) {
      heads[i].removeAttribute('aria-sort')
      var a = heads[i].querySelector('a.sort')
      if (a && a !== link) a.setAttribute('data-sort-next', heads[i].classList.contains('num') ? 'desc' : 'asc')
    }
    th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending')
    var href = link.getAttribute('href')
    link.setAttribute('data-sort-next', dir === 'asc' ? 'desc' : 'asc')
    link.setAttribute('href', href.replace(/(sort=[^&]*%3A)(asc|desc)/, function (m, p) { return p + (dir === 'asc' ? 'desc' : 'asc') }))
    if (window.history && history.replaceState) history.replaceState(null, '', href)
    return true
  }
  document.addEventListener('click', function (e) {
    var link = e.target && e.target.closest ? e.target.closest('a.sort') : null
    if (link && !e.metaKey && !e.ctrlKey && !e.shiftKey && sortInPlace(link)) e.preventDefault()
  })

  document.addEventListener('DOMContentLoaded', function () {
    drawAll()
    var form = document.querySelector('form[data-preview]')
    if (form) preview(form)
  })
})()
