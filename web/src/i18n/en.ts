import type { Message } from './types.js';

/**
 * English messages: the reference catalogue. Every other language (the six UN languages: ar, zh, en, fr, ru, es)
 * provides the same keys (`Catalogue` below makes a missing key a type error).
 * Keys are grouped by page or component; placeholders are `{name}`; plurals are objects of CLDR forms.
 */
export const en = {
  'app.name': 'ATT Observatory',
  'app.tagline': 'Open data on the Arms Trade Treaty',
  'app.skipToContent': 'Skip to main content',
  'nav.label': 'Main',
  'nav.home': 'Treaty status',
  'nav.api': 'API',
  'footer.api': 'API description (OpenAPI)',
  'footer.apiDocs': 'API documentation',
  'footer.licence': 'Code under the Apache License 2.0. Data licences are listed with each source.',
  'footer.about':
    'ATT Observatory publishes open data on the Arms Trade Treaty (ATT): who has joined, what is owed, and what is reported.',

  loading: 'Loading…',
  'error.title': 'Something went wrong',
  'error.load': 'The data could not be loaded: {message}',
  'error.retry': 'Try again',
  'error.network': 'the server did not answer. Check your connection and try again.',
  'notFound.title': 'Page not found',
  'notFound.body': 'There is no page at {path}.',
  'notFound.home': 'Go to the treaty status page',
  'value.none': '—',
  'value.noneLong': 'None',

  // Treaty status of a State on a date (values of `status` in the API).
  'status.state_party': 'State Party',
  'status.deposited_awaiting_eif': 'Deposited, awaiting entry into force',
  'status.signatory': 'Signatory',
  'status.declared_not_to_become_party': 'Declared not to become party',
  'status.not_signed': 'Not signed',
  'status.unknown': 'Status unknown',
  'status.territory': 'Territory or area not covered',
  'status.onDate': '{status} on {date}',

  // Instrument types (values of `actionType`).
  'action.ratification': 'ratification',
  'action.acceptance': 'acceptance',
  'action.approval': 'approval',
  'action.accession': 'accession',

  // Terms explained where they appear.
  'term.about': 'About “{term}”',
  'term.stateParty':
    'A State Party is bound by the treaty: it deposited its instrument and the treaty has entered into force for it (ATT Art. 22: on 24 December 2014 for the first 50 instruments and those deposited before that day; otherwise 90 days after deposit).',
  'term.deposited':
    'Deposited means the State gave the UN Secretary-General its instrument of ratification, acceptance, approval or accession. This counts States Parties and States whose entry into force is still pending.',
  'term.awaitingEif':
    'The State has deposited its instrument, but the 90 days before the treaty enters into force for it (ATT Art. 22(2)) have not yet passed.',
  'term.signatory':
    'A signatory signed the treaty but has not deposited an instrument. Signing shows intent; it does not bind the State to the treaty, only not to defeat its object and purpose.',
  'term.signed':
    'All States that signed the treaty, whether or not they later deposited. Signature was open from 3 June 2013 until entry into force on 24 December 2014; States joining later accede without signing.',
  'term.declared':
    'A signatory that told the depositary it does not intend to become a party (the United States, letter received on 18 July 2019). It is still listed among the signatories.',

  // Counts
  'counts.heading': 'Treaty status on {date}',
  'counts.stateParty': 'States Parties',
  'counts.stateParty.detail': 'treaty in force',
  'counts.deposited': 'Deposited',
  'counts.deposited.detail': 'ratified, accepted, approved or acceded',
  'counts.depositedAwaitingEif': 'Awaiting entry into force',
  'counts.depositedAwaitingEif.detail': 'deposited less than 90 days before',
  'counts.signatory': 'Signatories',
  'counts.signatory.detail': 'signed, not deposited',
  'counts.signed': 'Signed in all',
  'counts.signed.detail': 'including those that later deposited',
  'counts.declaredNotToBecomeParty': 'Declared not to become party',
  'counts.declaredNotToBecomeParty.detail': 'signatories that said they will not join',

  // Date control
  'date.section': 'Choose the date',
  'date.label': 'Status on',
  'date.hint': 'Choose a date to see the treaty as it stood that day.',
  'date.presets': 'Key dates',
  'date.preset.opened': 'Opened for signature',
  'date.preset.eif': 'Entry into force',
  'date.preset.csp1': 'First Conference of States Parties',
  'date.preset.today': 'Today',
  'date.invalid': 'Enter a date between {min} and {max}.',

  // Home page
  'home.title': 'Arms Trade Treaty: who has joined',
  'home.documentTitle': 'Treaty status on {date}',
  'home.lede':
    'Which States have signed, ratified or acceded to the Arms Trade Treaty, and for which it is in force, on any date since it opened for signature.',
  'home.asOf': 'Status on {date}',

  // Map
  'map.heading': 'Map of treaty status',
  'map.description':
    'World map coloured by each State’s treaty status on {date}. Small States are drawn as circles. The table below gives the same information as text.',
  'map.skip': 'Skip the map and go to the table of States',
  'map.loading': 'Loading the map…',
  'map.error': 'The map could not be drawn. The table below lists every State.',
  'map.stateLabel': '{name}: {status}',
  'map.detail': '{label}: {date}',
  'map.legend': 'Legend',
  'map.legendCount': '{label} ({count})',
  'map.markerNote': 'Circles mark States too small to see at this scale.',
  'map.attribution':
    'Boundaries: Natural Earth via world-atlas. Boundaries do not imply any judgement on the legal status of any territory.',

  // States table
  'table.heading': 'States',
  'table.search': 'Search States',
  'table.searchHint': 'Name or ISO code',
  'table.statusFilter': 'Status',
  'table.statusFilter.all': 'All statuses',
  'table.caption': 'Treaty status of each State on {date}',
  'table.results': { one: '{count} State shown of {total}', other: '{count} States shown of {total}' },
  'table.noResults': 'No State matches “{query}”.',
  'table.col.name': 'State',
  'table.col.region': 'Region',
  'table.col.status': 'Status',
  'table.col.signature': 'Signature',
  'table.col.deposit': 'Deposit',
  'table.col.eif': 'Entry into force',
  'table.sortBy': 'Sort by {column}',
  'table.scrollRegion': 'Table of States (scrolls sideways)',

  // State page
  'state.breadcrumb': 'Breadcrumb',
  'state.documentTitle': '{name}',
  'state.statusOn': 'Status on {date}',
  'state.identifiers': 'Identifiers and regions',
  'state.iso3': 'ISO 3166 alpha-3',
  'state.iso2': 'ISO 3166 alpha-2',
  'state.m49': 'UN M49 code',
  'state.region': 'Region (UN M49)',
  'state.subregion': 'Sub-region (UN M49)',
  'state.unRegionalGroup': 'UN regional group',
  'state.aliases': 'Also known as',
  'state.kind': 'Kind',
  'state.treaty': 'Treaty record',
  'state.treaty.none': 'No treaty action is recorded for this State.',
  'state.signature': 'Signature',
  'state.deposit': 'Deposit',
  'state.depositWithType': '{date} ({type})',
  'state.eif': 'Entry into force',
  'state.provisional': 'Provisional application (Art. 23)',
  'state.declaration': 'Declared not to become party',
  'state.obligations': 'Reporting obligations on {date}',
  'state.obligations.intro':
    'States Parties report on the measures they take to implement the treaty (initial report, ATT Art. 13(1), within a year of entry into force) and each year on their exports and imports (annual report, Art. 13(3), by 31 May).',
  'state.obligations.none': 'No report is owed on this date.',
  'state.obligations.caption': 'Reports owed by {name} on {date}',
  'state.obligations.col.kind': 'Report',
  'state.obligations.col.coveredYear': 'Covers',
  'state.obligations.col.windowOpens': 'Window opens',
  'state.obligations.col.dueDate': 'Due',
  'state.obligations.col.graceEndsOn': 'Grace ends',
  'state.obligations.col.status': 'Status',
  'state.obligations.timeZone': 'Deadlines are the end of the day in {zone}.',
  'state.back': 'All States',

  // Values of obligation `kind` and `status` (the API may add others: they are shown as sent).
  'obligation.kind.initial': 'Initial report',
  'obligation.kind.annual': 'Annual report',
  'obligation.status.not_yet_due': 'Not yet due',
  'obligation.status.due': 'Due',
  'obligation.status.deadline_passed': 'Deadline passed',
  'obligation.status.on_time': 'Submitted on time',
  'obligation.status.within_grace': 'Submitted within grace period',
  'obligation.status.late': 'Submitted late',
  'obligation.status.missing': 'Missing',

  // Source note
  'source.label': 'Source',
  'source.line': '{source}, as at {asAt}.',
  'source.lineUndated': '{source}.',
  'source.licence': 'Licence: {licence}.',
  'source.retrieved': 'Retrieved {date}.',
  'source.none': 'Source information was not provided with this data.',
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, Message>;
