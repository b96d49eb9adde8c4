// Tenure live events: adds events from the page's server-sent event stream to the top of its table.
;(function () {
  'use strict'
  var status = document.querySelector('[data-live-stream]')
  var body = document.querySelector('table[data-table="live"] tbody')
  if (!status || !body || typeof EventSource === 'undefined') return
  var MAX_ROWS = 500
  var seen = 0

  function when(iso) {
    return iso ? iso.replace('T', ' ').slice(0, 19) : '—'
  }
  function cell(text, col, href) {
    var td = document.createElement('td')
    td.setAttribute('data-col', col)
    if (href && text) {
      var a = document.createElement('a')
      a.href = href
      a.textContent = text
      td.appendChild(a)
    } else {
      td.textContent = text || (col === 'element_text' ? '' : '—')
    }
    return td
  }
  function row(e) {
    var tr = document.createElement('tr')
    tr.className = 'new'
    tr.setAttribute('data-uuid', e.uuid)
    tr.appendChild(cell(when(e.storedAt), 'stored_at'))
    tr.appendChild(cell(when(e.timestamp), 'timestamp'))
    tr.appendChild(cell(e.event, 'event'))
    tr.appendChild(cell(e.person, 'person', '/app/person/' + encodeURIComponent(e.person)))
    tr.appendChild(cell(e.accountId, 'account_id', e.accountId ? '/app/account/' + encodeURIComponent(e.accountId) : null))
    tr.appendChild(cell(e.elementText, 'element_text'))
    tr.appendChild(cell(e.url, 'url'))
    return tr
  }

  var source = new EventSource(status.getAttribute('data-live-stream'))
  source.addEventListener('open', function () {
    status.textContent = seen ? seen + ' new events; listening…' : 'Listening for new events…'
    status.setAttribute('data-live', 'open')
  })
  source.addEventListener('events', function (msg) {
    var events = JSON.parse(msg.data)
    // Each chunk comes newest first: insert from its oldest, so the newest ends on top.
    for (var i = events.length - 1; i >= 0; i--) {
      if (body.querySelector('tr[data-uuid="' + events[i].uuid + '"]')) continue
      body.insertBefore(row(events[i]), body.firstChild)
      seen++
    }
    while (body.children.length > MAX_ROWS) body.removeChild(body.lastChild)
    status.textContent = seen + ' new events; listening…'
  })
  source.addEventListener('problem', function (msg) {
    status.textContent = JSON.parse(msg.data).message
    status.setAttribute('data-live', 'error')
    source.close()
  })
})()
