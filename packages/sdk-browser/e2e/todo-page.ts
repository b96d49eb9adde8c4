/**
 * A small to-do app with the script tag, written like the framework apps it stands for: typed
 * items are shown back as labels, the "Clear completed" count sits in a child span, a button
 * changes its label on mouseup (before `click`), and at load the "framework" clicks a hidden
 * checkbox from script.
 */
export function todoPage(o: { gateway: string; writeKey: string }): (site: string) => string {
  return (site) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Todos</title>
<script async src="${site}/tenure.js" data-key="${o.writeKey}" data-host="${o.gateway}" data-flush-interval="300"></script>
<style> li, button, a { display: block; margin: 6px; padding: 4px; } .hidden { display: none; } </style>
</head><body>
<section class="todoapp">
  <header><h1>todos</h1>
    <form id="new-form"><input id="new-todo" class="new-todo" placeholder="What needs to be done?" autocomplete="off"><button id="add" type="submit">Add</button></form>
  </header>
  <input type="checkbox" id="framework-toggle" class="hidden">
  <ul id="list" class="todo-list"></ul>
  <footer>
    <a href="#/" class="filter" id="f-all">All</a>
    <a href="#/active" class="filter" id="f-active">Active</a>
    <a href="#/completed" class="filter" id="f-completed">Completed</a>
    <button id="clear" class="clear-completed">Clear completed <span id="count">(0)</span></button>
    <button id="save" class="save-view">Save view</button>
  </footer>
</section>
<script>
  const todos = []
  const list = document.getElementById('list')
  let filter = 'all'
  function render() {
    list.innerHTML = ''
    for (const t of todos) {
      if ((filter === 'active' && t.done) || (filter === 'completed' && !t.done)) continue
      const li = document.createElement('li')
      li.className = t.done ? 'completed' : ''
      const box = document.createElement('input')
      box.type = 'checkbox'
      box.className = 'toggle'
      // Accessible labels built from the item: typed text in an attribute.
      box.setAttribute('aria-label', 'Toggle ' + t.title)
      box.checked = t.done
      box.addEventListener('change', () => { t.done = box.checked; render() })
      const label = document.createElement('label')
      label.className = 'title'
      label.textContent = t.title
      li.append(box, label)
      list.append(li)
    }
    document.getElementById('count').textContent = '(' + todos.filter((t) => t.done).length + ')'
  }
  document.getElementById('new-form').addEventListener('submit', (e) => {
    e.preventDefault()
    const input = document.getElementById('new-todo')
    if (input.value.trim()) todos.push({ title: input.value.trim(), done: false })
    input.value = ''
    render()
  })
  document.getElementById('clear').addEventListener('click', () => {
    for (let i = todos.length - 1; i >= 0; i--) if (todos[i].done) todos.splice(i, 1)
    render()
  })
  // Some apps answer on mouseup: by the time "click" fires, the label is gone.
  const save = document.getElementById('save')
  save.addEventListener('mouseup', () => { save.textContent = 'Saved ' + new Date().toISOString() })
  addEventListener('hashchange', () => { filter = location.hash.slice(2) || 'all'; render() })
  // The framework sets up its state with a script click at load.
  addEventListener('load', () => setTimeout(() => document.getElementById('framework-toggle').click(), 50))
  render()
</script>
</body></html>`
}
