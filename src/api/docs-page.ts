/** A readable rendering of /openapi.json without any third-party script: a list of paths, parameters and schemas. */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ATT Observatory API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
code{background:#f1f3f5;padding:0 .25rem;border-radius:3px}section{border-top:1px solid #d0d7de;padding:.5rem 0}
h2{font-size:1.1rem;margin:.5rem 0}.method{font-weight:700;color:#0b5394;margin-right:.5rem}table{border-collapse:collapse}
td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}</style></head>
<body><main><h1>ATT Observatory API</h1>
<p>Machine-readable description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Conventions: every list takes
field filters, <code>_sort</code>, <code>_size</code>, <code>_next</code> and has a <code>.csv</code> twin.</p>
<div id="paths">Loading…</div></main>
<script>
fetch('/openapi.json').then(r => r.json()).then(doc => {
  const esc = s => String(s ?? '').replace(/[&<>"]/g, ch => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[ch]));
  const html = Object.entries(doc.paths).map(([path, ops]) => Object.entries(ops).map(([method, op]) =>
    '<section><h2><span class="method">' + method.toUpperCase() + '</span><code>' + esc(path) + '</code></h2><p>' +
    esc(op.summary) + '</p>' + (op.description ? '<p>' + esc(op.description) + '</p>' : '') +
    ((op.parameters || []).length ? '<table><tr><th>parameter</th><th>in</th><th>description</th></tr>' +
    op.parameters.map(p => '<tr><td><code>' + esc(p.name) + '</code></td><td>' + esc(p.in) + '</td><td>' +
    esc(p.description || (p.schema && p.schema.description) || '') + '</td></tr>').join('') + '</table>' : '') +
    '</section>').join('')).join('');
  document.getElementById('paths').innerHTML = html;
});
</script></body></html>`;
}
