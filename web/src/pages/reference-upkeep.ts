import { ApiError, getJson, isObject, str, type Json } from '../api/client.js';
import { currentSession, send } from '../api/session.js';
import { h, replaceChildren } from '../components/dom.js';
import { t } from '../i18n/index.js';
import { setDocumentTitle, type Page } from '../router.js';

function describeError(error: unknown): string {
  return error instanceof ApiError ? `${error.message}${error.hint ? ` (${error.hint})` : ''}` : String(error);
}

let fieldCounter = 0;
/** A labelled input (or select); the label is tied to it by id. */
function field(label: string, input: HTMLInputElement | HTMLSelectElement): HTMLElement {
  if (!input.id) input.id = `upkeep-field-${++fieldCounter}`;
  return h('p', { class: 'field' }, h('label', { for: input.id }, label), input);
}

function select(id: string, values: readonly string[], empty = false): HTMLSelectElement {
  return h('select', { id }, ...(empty ? [h('option', { value: '' }, '—')] : []), ...values.map((v) => h('option', { value: v }, v.replace(/_/g, ' '))));
}

/** The source fields every change needs (URL and/or citation). */
function sourceFields(prefix: string) {
  const url = h('input', { id: `${prefix}-source-url`, type: 'url', placeholder: 'https://treaties.un.org/...' });
  const citation = h('input', { id: `${prefix}-source-citation`, type: 'text', maxlength: 1000 });
  return {
    elements: [field(t('upkeep.source.url'), url), field(t('upkeep.source.citation'), citation)],
    value: (): Json => ({ ...(url.value.trim() ? { url: url.value.trim() } : {}), ...(citation.value.trim() ? { citation: citation.value.trim() } : {}) }),
  };
}

function resultLine(status: HTMLElement, promise: Promise<Json | null>, describe: (body: Json) => string): void {
  status.removeAttribute('data-error');
  promise
    .then((body) => {
      status.textContent = describe(isObject(body?.data) ? body.data : {});
      status.setAttribute('data-done', '');
    })
    .catch((error: unknown) => {
      status.textContent = describeError(error);
      status.setAttribute('data-error', '');
    });
}

function treatyForm(): HTMLElement {
  const state = h('input', { id: 'upkeep-state', type: 'text', required: true, pattern: '[A-Za-z]{3}', maxlength: 3, placeholder: 'AGO' });
  const signature = h('input', { id: 'upkeep-signature', type: 'date' });
  const deposit = h('input', { id: 'upkeep-deposit', type: 'date' });
  const action = select('upkeep-action', ['ratification', 'acceptance', 'approval', 'accession'], true);
  const eif = h('input', { id: 'upkeep-eif', type: 'date' });
  const notes = h('input', { id: 'upkeep-notes', type: 'text', maxlength: 4000 });
  const source = sourceFields('treaty');
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'account-form', 'data-form': 'treaty-record' },
    field(t('upkeep.treaty.state'), state),
    field(t('upkeep.treaty.signature'), signature),
    field(t('upkeep.treaty.deposit'), deposit),
    field(t('upkeep.treaty.action'), action),
    field(t('upkeep.treaty.eif'), eif),
    field(t('upkeep.notes'), notes),
    ...source.elements,
    h('button', { type: 'submit' }, t('upkeep.treaty.submit')),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const change: Json = {};
    if (signature.value) change.signatureDate = signature.value;
    if (deposit.value) change.depositDate = deposit.value;
    if (action.value) change.actionType = action.value;
    if (eif.value) change.entryIntoForceDate = eif.value;
    if (notes.value.trim()) change.notes = notes.value.trim();
    const iso3 = state.value.trim().toUpperCase();
    resultLine(status, send('POST', `/v1/reference/treaty-records/${encodeURIComponent(iso3)}`, { change, source: source.value() }), (data) => {
      const record = isObject(data.record) ? data.record : {};
      return t('upkeep.treaty.done', { state: str(record.name) ?? iso3, eif: str(record.entryIntoForceDate) ?? '—' });
    });
  });
  return h('section', { 'aria-labelledby': 'upkeep-treaty' }, h('h2', { id: 'upkeep-treaty' }, t('upkeep.treaty.title')), h('p', {}, t('upkeep.treaty.intro')), form);
}

function newEmbargoForm(): HTMLElement {
  const authority = select('embargo-authority', ['UN', 'EU', 'other']);
  const target = h('input', { id: 'embargo-target', type: 'text', required: true, maxlength: 300 });
  const targetIds = h('input', { id: 'embargo-target-ids', type: 'text', required: true, placeholder: 'SSD' });
  const scope = select('embargo-scope', ['full', 'government_exempt', 'non_state_actors_only', 'named_group', 'targeted', 'regional', 'partial_items', 'approval_regime', 'end_use_restricted']);
  const scopeText = h('input', { id: 'embargo-scope-text', type: 'text', required: true, maxlength: 1000 });
  const direction = select('embargo-direction', ['to_target', 'from_target', 'two_way']);
  const start = h('input', { id: 'embargo-start', type: 'date', required: true });
  const end = h('input', { id: 'embargo-end', type: 'date' });
  const binding = select('embargo-binding', ['mandatory', 'voluntary', 'n/a']);
  const source = sourceFields('embargo');
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'account-form', 'data-form': 'new-embargo' },
    field(t('upkeep.embargo.authority'), authority),
    field(t('upkeep.embargo.target'), target),
    field(t('upkeep.embargo.targetIds'), targetIds),
    field(t('upkeep.embargo.scope'), scope),
    field(t('upkeep.embargo.scopeText'), scopeText),
    field(t('upkeep.embargo.direction'), direction),
    field(t('upkeep.embargo.start'), start),
    field(t('upkeep.embargo.end'), end),
    field(t('upkeep.embargo.binding'), binding),
    ...source.elements,
    h('button', { type: 'submit' }, t('upkeep.embargo.submit')),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const episode: Json = {
      authority: authority.value,
      target: target.value.trim(),
      targetIds: targetIds.value.split(/[,;\s]+/).filter((id) => id !== '').map((id) => id.toUpperCase()),
      scopeCode: scope.value,
      scopeText: scopeText.value.trim(),
      direction: direction.value,
      startDate: start.value,
      binding: binding.value,
      ...(end.value ? { endDate: end.value } : {}),
    };
    resultLine(status, send('POST', '/v1/reference/embargoes', { episode, source: source.value() }), (data) =>
      t('upkeep.embargo.done', { id: isObject(data.record) ? (str(data.record.id) ?? '') : '' }),
    );
  });
  return h('section', { 'aria-labelledby': 'upkeep-embargo' }, h('h2', { id: 'upkeep-embargo' }, t('upkeep.embargo.title')), form);
}

function amendEmbargoForm(): HTMLElement {
  const id = h('input', { id: 'amend-embargo-id', type: 'text', required: true, placeholder: 'SSD-2018' });
  const end = h('input', { id: 'amend-embargo-end', type: 'date' });
  const scopeText = h('input', { id: 'amend-embargo-scope-text', type: 'text', maxlength: 1000 });
  const notes = h('input', { id: 'amend-embargo-notes', type: 'text', maxlength: 4000 });
  const source = sourceFields('amend-embargo');
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'account-form', 'data-form': 'amend-embargo' },
    field(t('upkeep.amend.id'), id),
    field(t('upkeep.embargo.end'), end),
    field(t('upkeep.embargo.scopeText'), scopeText),
    field(t('upkeep.notes'), notes),
    ...source.elements,
    h('button', { type: 'submit' }, t('upkeep.amend.submit')),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const change: Json = {};
    if (end.value) change.endDate = end.value;
    if (scopeText.value.trim()) change.scopeText = scopeText.value.trim();
    if (notes.value.trim()) change.notes = notes.value.trim();
    resultLine(status, send('PATCH', `/v1/reference/embargoes/${encodeURIComponent(id.value.trim())}`, { change, source: source.value() }), (data) =>
      t('upkeep.embargo.done', { id: isObject(data.record) ? (str(data.record.id) ?? '') : '' }),
    );
  });
  return h('section', { 'aria-labelledby': 'upkeep-amend' }, h('h2', { id: 'upkeep-amend' }, t('upkeep.amend.title')), form);
}

function historySection(): HTMLElement {
  const kind = select('history-kind', ['treaty-records', 'embargoes']);
  const id = h('input', { id: 'history-id', type: 'text', required: true, placeholder: 'AGO' });
  const output = h('div', { 'data-history': '' });
  const form = h('form', { class: 'account-form', 'data-form': 'history' }, field(t('upkeep.history.kind'), kind), field(t('upkeep.history.id'), id), h('button', { type: 'submit' }, t('upkeep.history.submit')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = id.value.trim().toUpperCase();
    getJson(`/v1/reference/${kind.value}/${encodeURIComponent(key)}/history`)
      .then((body) => {
        const data = isObject(body.data) ? body.data : {};
        const audit = Array.isArray(data.audit) ? (data.audit as Json[]) : [];
        const amendments = Array.isArray(data.amendments) ? (data.amendments as Json[]) : [];
        replaceChildren(
          output,
          audit.length === 0
            ? h('p', {}, t('upkeep.history.none'))
            : h(
                'ol',
                { class: 'history' },
                ...audit.map((entry, i) => {
                  const amendment = amendments[i];
                  const changes = isObject(amendment?.changes) ? Object.keys(amendment.changes).join(', ') : '';
                  const source = isObject(amendment?.source) ? [str(amendment.source.citation), str(amendment.source.url)].filter(Boolean).join(', ') : '';
                  return h('li', { 'data-history-action': str(entry.action) ?? '' }, `${str(entry.at) ?? ''}: ${str(entry.action) ?? ''} (${str(entry.actor) ?? ''}) ${changes}`, source ? h('span', { class: 'muted' }, ` — ${source}`) : null);
                }),
              ),
        );
      })
      .catch((error: unknown) => (output.textContent = describeError(error)));
  });
  return h('section', { 'aria-labelledby': 'upkeep-history' }, h('h2', { id: 'upkeep-history' }, t('upkeep.history.title')), form, output);
}

/** /reference-upkeep: the Secretariat records treaty actions and embargo episodes, each with a source. */
export function referenceUpkeepPage(): Page {
  setDocumentTitle(t('upkeep.title'));
  const body = h('div', {}, h('p', {}, t('loading')));
  const element = h('div', { class: 'page upkeep' }, h('h1', { tabindex: -1 }, t('upkeep.title')), body);
  void currentSession().then((session) => {
    if (session.kind !== 'secretariat' && session.kind !== 'admin') {
      replaceChildren(body, h('p', { 'data-upkeep': 'forbidden' }, t('upkeep.forbidden')));
      return;
    }
    replaceChildren(body, h('p', {}, t('upkeep.intro')), treatyForm(), newEmbargoForm(), amendEmbargoForm(), historySection());
  });
  return { element };
}
