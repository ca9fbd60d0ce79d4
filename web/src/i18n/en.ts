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

  // Navigation and languages
  'nav.transfers': 'Transfers',
  'nav.compliance': 'Reporting',
  'nav.embargoes': 'Embargoes',
  'nav.methods': 'Methods',
  'footer.methods': 'Methods, sources and licences',
  'lang.label': 'Language',
  'lang.untranslated': 'in English',
  'lang.unknown': 'The language “{lang}” is not available: the site is shown in English.',
  'lang.notYet': 'This site is not yet translated into {language}: it is shown in English.',

  // Values
  'value.notApplicable': 'n/a',
  'value.notAvailableShort': 'n/a',
  'value.tivBelowHalf': '< 0.5',

  // More terms
  'term.tiv.short': 'TIV is not money',
  'term.tiv':
    'SIPRI’s trend-indicator value (TIV, in millions) measures the volume of major conventional arms transferred, on a common scale based on production costs. It is not the price paid and must never be added to or compared with financial values. A TIV of “< 0.5” means more than 0 and less than 0.5 million.',
  'term.missing.short': 'Missing is not zero',
  'term.missing':
    'A dash (—) means the source gives no value, with the reason where known (not reported, withheld, not applicable). It is never counted as zero: totals only add values that were reported.',
  'term.private.short': 'Private reports',
  'term.private':
    'A State may make its annual report, or one of its forms (exports, imports), available to States Parties only. Such a report counts as submitted, but its contents are not public.',
  'term.reportingRate':
    'Of the States Parties that owed an annual report for a year (ATT Art. 13(3), due by 31 May of the next year), the share whose report has been received, on time or later.',
  'term.embargo.short': 'Arms embargo',
  'term.embargo':
    'A measure of the UN Security Council or the European Union restricting arms supplies to (or from) a State, a region or armed groups. An episode runs from the measure that imposed it to the one that ended or replaced it.',
  'term.binding.short': 'Binding or voluntary',
  'term.binding':
    'A mandatory embargo binds States (Security Council decisions under Chapter VII; EU Council decisions for EU member States). A voluntary one is a call or a political commitment: it is shown, but screening never flags a transfer on it alone.',
  'term.flag.short': 'What a flag means',
  'term.flag':
    'A flag marks a transfer delivered in a year when an arms embargo covering it was in force for the whole year: something to review under ATT Art. 6(1). It is an indicator, not a finding that anyone breached anything.',

  // Data actions under every chart, map and table
  'data.downloadCsv': 'Download CSV',
  'data.cite': 'Cite',
  'data.citation': 'ATT Observatory, “{title}”, {url} (accessed {date}).',
  'data.dataFrom': 'Data',

  // Charts
  'chart.loading': 'Loading the chart…',
  'chart.error': 'The chart could not be drawn. The data is in the table below.',
  'chart.showData': 'Show the numbers',

  // Shares
  'share.others': { one: 'All others ({count} State)', other: 'All others ({count} States)' },
  'share.othersWithParties': {
    one: 'All others ({count} State and {others} other parties)',
    other: 'All others ({count} States and {others} other parties)',
  },
  'share.expand': 'Show them',
  'share.collapse': 'Hide them',

  // Sources of transfer data
  'source.sipri': 'SIPRI Arms Transfers Database',
  'source.national': 'National data: {state}',
  'source.eu-coarm': 'EU annual report on arms exports (COARM)',
  'source.att-report': 'ATT annual reports (public forms)',

  // Key figures (home)
  'figures.heading': 'Key figures',
  'figures.stateParties': 'States Parties',
  'figures.onDate': 'on {date}',
  'figures.reportingRate': 'Reporting rate',
  'figures.reportingRate.detail': 'annual reports for {year}: {reported} of {obliged} States Parties',
  'figures.privateShare': 'Private reports',
  'figures.privateShare.detail': {
    one: 'of the {count} report received for {year} has a private form ({wholly} wholly private)',
    other: 'of the {count} reports received for {year} have a private form ({wholly} wholly private)',
  },
  'figures.openEmbargoes': 'Arms embargoes in force',
  'figures.openEmbargoes.detail': 'UN and EU episodes on {date}',
  'figures.notAvailable': 'not available yet',
  'figures.registryEmpty': 'no reports recorded yet',

  // Share of the arms trade (home)
  'coverage.heading': 'The treaty’s share of the arms trade',
  'coverage.headingPeriod': 'The treaty’s share of the arms trade, {from}–{to}',
  'coverage.intro':
    'States Parties on {date} accounted for {exports} of the world’s exports and {imports} of its imports of major conventional arms delivered in {from}–{to} (SIPRI TIV).',
  'coverage.exports': 'Exporters',
  'coverage.imports': 'Importers',
  'coverage.exports.label': 'Share of world exports, {from}–{to}',
  'coverage.imports.label': 'Share of world imports, {from}–{to}',
  'coverage.tiv': 'TIV {value}',
  'coverage.byStatus': 'Shares by treaty status',
  'coverage.caveats': 'What these figures do not cover',
  'coverage.none': 'No SIPRI deliveries are loaded for {from}–{to}.',
  'coverage.error': 'The shares of the arms trade could not be loaded.',
  'coverage.apiSource': 'API: {url}',
  'bucket.state_party': 'States Parties',
  'bucket.deposited_awaiting_eif': 'Deposited, awaiting entry into force',
  'bucket.signatory': 'Signatories',
  'bucket.declared_not_to_become_party': 'Declared not to become party',
  'bucket.not_signed': 'Not signed',
  'bucket.territory': 'Territories',
  'bucket.historical_state': 'Former States',
  'bucket.not_a_state': 'Not a State (groups, organisations, unknown)',

  // Transfers explorer
  'transfers.title': 'Arms transfers',
  'transfers.titleWith': 'Arms transfers: {selection}',
  'transfers.lede':
    'Every transfer record loaded, from SIPRI and from national and regional reports, with the file and row it comes from. Filter it, follow it on the map and download exactly what you see.',
  'transfers.filter.label': 'Filter transfers',
  'transfers.filter.exporterId': 'Exporter',
  'transfers.filter.importerId': 'Importer',
  'transfers.filter.source': 'Source',
  'transfers.filter.categoryCode': 'Category',
  'transfers.filter.exporterId.all': 'All exporters',
  'transfers.filter.importerId.all': 'All importers',
  'transfers.filter.source.all': 'All sources',
  'transfers.filter.categoryCode.all': 'All categories',
  'transfers.filter.years': 'Years',
  'transfers.filter.from': 'From',
  'transfers.filter.to': 'To',
  'transfers.filter.clear': 'Clear all filters',
  'transfers.chip.label': 'Filters in use',
  'transfers.chip.remove': 'remove this filter',
  'transfers.sel.all': 'all records',
  'transfers.sel.from': 'from {name}',
  'transfers.sel.to': 'to {name}',
  'transfers.sel.years': '{from}–{to}',
  'transfers.sel.since': 'since {from}',
  'transfers.sel.until': 'until {to}',
  'transfers.summary': { one: '{count} transfer record.', other: '{count} transfer records.' },
  'transfers.summaryWith': {
    one: '{count} transfer record: {selection}.',
    other: '{count} transfer records: {selection}.',
  },
  'transfers.chart.heading': 'Records by year',
  'transfers.chart.caption': 'Transfer records by year: {selection}',
  'transfers.chart.col.year': 'Year',
  'transfers.chart.col.records': 'Records',
  'transfers.chart.desc': 'Number of transfer records per year, {first} to {last}; the most in {peak}.',
  'transfers.chart.empty': 'No record of this selection has a single year.',
  'transfers.chart.noYear': {
    one: '{count} record has no single year (a deal delivered over several years, or not delivered yet) and is not in the chart.',
    other:
      '{count} records have no single year (deals delivered over several years, or not delivered yet) and are not in the chart.',
  },
  'transfers.chart.truncated':
    'The API lists at most 50 years per answer: narrow the years to see every one.',
  'transfers.flows.heading': 'Flows',
  'transfers.flows.top': 'Largest flows shown',
  'transfers.flows.desc': {
    one: 'The largest flow of this selection, by number of records.',
    other:
      'The {count} largest flows of this selection, by number of records (line width), from exporter to importer.',
  },
  'transfers.flows.none': 'No flow to show for this selection.',
  'transfers.flows.basisExact': 'Counts are exact.',
  'transfers.flows.basisTop':
    'Without an exporter or importer chosen, flows are counted for the {count} exporters with the most records.',
  'transfers.flows.unplaced': {
    one: '{count} flow has no place on the map (an unknown or unlocated party) and is listed in the table only.',
    other:
      '{count} flows have no place on the map (unknown or unlocated parties) and are listed in the table only.',
  },
  'transfers.flows.caption': 'Largest flows: {selection}',
  'transfers.flows.col.flow': 'From exporter to importer',
  'transfers.flows.pair': '{from} → {to}',
  'transfers.flows.line': { one: '{from} to {to}: {count} record', other: '{from} to {to}: {count} records' },
  'transfers.table.heading': 'Transfer records',
  'transfers.table.caption': 'Transfer records: {selection}',
  'transfers.table.empty': 'No transfer record matches these filters.',
  'transfers.col.year': 'Year',
  'transfers.col.exporter': 'Exporter',
  'transfers.col.importer': 'Importer',
  'transfers.col.weapon': 'Weapon',
  'transfers.col.items': 'Items',
  'transfers.col.tiv': 'TIV',
  'transfers.col.value': 'Value',
  'transfers.col.source': 'Source',
  'transfers.orderedIn': 'ordered {year}',
  'transfers.estimate': 'SIPRI estimate',
  'transfers.sort.label': 'Order',
  'transfers.sort.default': 'As stored',
  'transfers.sort.-year': 'Newest first',
  'transfers.sort.year': 'Oldest first',
  'transfers.sort.-tivDelivered': 'Largest TIV first',
  'transfers.sort.-value': 'Largest value first',
  'transfers.sort.-numberOfItems': 'Most items first',
  'transfers.sort.exporterId': 'By exporter',
  'transfers.sort.importerId': 'By importer',
  'transfers.pager.label': 'Pages of records',
  'transfers.pager.range': 'Records {first}–{last} of {total}',
  'transfers.pager.first': 'First page',
  'transfers.pager.next': 'Next page',
  'transfers.csv.all': {
    one: 'CSV of the {count} record, with the same filters.',
    other: 'CSV of the {count} records, with the same filters.',
  },
  'transfers.csv.capped':
    'CSV of the first 1,000 of {count} records, with the same filters (the API’s Link header pages through the rest).',
  'missing.not_reported': 'not reported',
  'missing.withheld': 'withheld',
  'missing.not_applicable': 'not applicable',
  'missing.aggregated': 'several years',
  'missing.not_available': 'not available',

  // State profile
  'profile.nav': 'More about this State',
  'profile.link.transfersTo': 'Transfers to {name}',
  'profile.link.transfersFrom': 'Transfers from {name}',
  'profile.link.embargoes': 'Embargoes concerning {name}',
  'profile.notAvailable': 'Not available yet: this part of the API is still being built.',
  'profile.tiv.heading': 'Arms exports and imports over time',
  'profile.tiv.intro': 'Deliveries of major conventional arms recorded by SIPRI, by year.',
  'profile.tiv.chartTitle': 'Exports and imports of {name} (SIPRI TIV)',
  'profile.tiv.caption': 'Exports and imports of {name} by year (SIPRI TIV, millions)',
  'profile.tiv.desc':
    'Exports and imports of {name}, {first}–{last}: {exports}; {imports}. Years with no delivery recorded are gaps, not zeros.',
  'profile.tiv.exported': 'TIV {value} exported in all',
  'profile.tiv.imported': 'TIV {value} imported in all',
  'profile.tiv.noExports': 'no exports recorded',
  'profile.tiv.noImports': 'no imports recorded',
  'profile.tiv.none': 'No SIPRI delivery to or from {name} is loaded.',
  'profile.tiv.register': 'Register read (the latest SIPRI import)',
  'profile.tiv.col.year': 'Year',
  'profile.tiv.col.exports': 'Exports',
  'profile.tiv.col.imports': 'Imports',
  'profile.tiv.axis': 'TIV (millions)',
  'profile.tiv.yearRule': 'Year rule',
  'profile.risk.heading': 'Embargoes and risk indicators',
  'profile.risk.embargoes': 'Arms embargoes',
  'profile.risk.noEmbargo': 'No UN or EU arms embargo concerning {name} is recorded.',
  'profile.risk.indicators': 'Indicators on {date}',
  'profile.risk.intro':
    'What an exporting State would look at under ATT Articles 6 and 7 before authorising a transfer to this destination. These are indicators, each with its source, never verdicts.',
  'profile.risk.caption': 'Risk indicators for transfers to {name}',
  'profile.risk.col.indicator': 'Indicator',
  'profile.risk.col.article': 'Article',
  'profile.risk.col.level': 'Level',
  'profile.risk.col.explanation': 'What the data says',
  'profile.risk.article': 'Art. {article}',
  'profile.screening.heading': 'Screening of transfers to {name}',
  'profile.screening.intro': {
    one: '{count} transfer to {name} was screened against the UN and EU arms embargoes in force in its delivery years.',
    other:
      '{count} transfers to {name} were screened against the UN and EU arms embargoes in force in their delivery years.',
  },
  'profile.screening.counts': 'Screening outcomes',
  'profile.screening.caption': 'Transfers to {name} flagged or possibly within an embargo',
  'profile.screening.col.outcome': 'Outcome',
  'profile.screening.col.reason': 'Reason and episodes',
  'profile.screening.none': 'No transfer to {name} is flagged or possibly within an embargo.',
  'profile.screening.csv': {
    one: 'CSV of the screening result of the {count} transfer, whatever its outcome.',
    other: 'CSV of the screening results of all {count} transfers, whatever their outcome.',
  },
  'profile.screening.more': 'The first {shown} of {count} are shown; the CSV has them all.',
  'profile.reports.heading': 'Reports and transparency scores',
  'profile.reports.intro':
    'Reports received under ATT Art. 13, with the score of each against the transparency rubric.',
  'profile.reports.caption': 'Reports of {name}',
  'profile.reports.none': 'No report of {name} is recorded in the registry.',
  'profile.reports.annual': 'Annual report {year}',
  'profile.reports.col.report': 'Report',
  'profile.reports.col.submitted': 'Submitted',
  'profile.reports.col.exports': 'Exports form',
  'profile.reports.col.imports': 'Imports form',
  'profile.reports.col.score': 'Transparency score',
  'profile.reports.form.notIncluded': 'not included',
  'profile.reports.form.notRecorded': 'not recorded',
  'profile.reports.form.nil': 'nil report',
  'profile.reports.form.withheld': 'some information withheld',
  'profile.reports.noScore': 'not scored',
  'profile.reports.scoreValue': '{score} / {max}',
  'profile.reports.rubric': 'Rubric: {version}',
  'visibility.public': 'public',
  'visibility.private': 'private',
  'level.info': 'Information',
  'level.attention': 'Attention',
  'level.concern': 'Concern',
  'outcome.flag': 'Flag',
  'outcome.possible': 'Possible',
  'outcome.inconclusive': 'Inconclusive',
  'outcome.clear': 'Clear',
  'indicator.un_arms_embargo_in_force': 'UN arms embargo in force',
  'indicator.eu_arms_embargo_in_force': 'EU arms embargo in force',
  'indicator.screened_transfers_un': 'Transfers screened against UN embargoes',
  'indicator.screened_transfers_eu': 'Transfers screened against EU embargoes',
  'indicator.transfers_to_non_state_actors': 'Transfers to non-State actors',
  'indicator.atrocity_crimes_knowledge': 'Knowledge of atrocity crimes (Art. 6(3))',
  'indicator.att_membership': 'Treaty membership',
  'indicator.gender_based_violence': 'Gender-based violence (Art. 7(4))',
  'indicator.mirror_discrepancies': 'Mirror discrepancies',
  'indicator.reporting_record': 'Reporting record',

  // Reporting compliance
  'compliance.title': 'Reporting under the treaty',
  'compliance.lede':
    'States Parties owe an initial report and, every year, a report on their arms exports and imports (ATT Art. 13). Who reported, on time or late, and how much is public?',
  'compliance.notAvailable':
    'Compliance rates are not available yet: this part of the API is still being built.',
  'compliance.registryEmpty':
    'The report registry is empty: no report received is recorded yet. Below are the reports owed, from the treaty’s reporting calendar; whether they arrived is not shown.',
  'compliance.controls': 'Year and grouping',
  'compliance.year': 'Reports covering',
  'compliance.groupBy': 'Group by',
  'compliance.group.m49Region': 'Region (UN M49)',
  'compliance.group.unRegionalGroup': 'UN regional group',
  'compliance.years.heading': 'By year',
  'compliance.years.chartTitle': 'Share of annual reports received, by year covered',
  'compliance.years.chartDesc':
    'Percentage of the States Parties that owed an annual report for each year and whose report was received.',
  'compliance.years.caption': 'Annual reports owed and received, by year covered',
  'compliance.owed.chartTitle': 'Annual reports owed, by year covered',
  'compliance.owed.chartDesc':
    'Number of States Parties that owed an annual report for each year, from the reporting calendar.',
  'compliance.owed.caption': 'Annual reports owed, by year covered and status on the calendar',
  'compliance.groups.heading': 'By {group}, reports covering {year}',
  'compliance.noYear': 'No annual report is owed yet.',
  'compliance.col.year': 'Year covered',
  'compliance.col.obliged': 'Owed',
  'compliance.col.reported': 'Received',
  'compliance.col.reportedRate': 'Received (%)',
  'compliance.col.onTimeRate': 'On time (%)',
  'compliance.col.privateRate': 'Wholly private (%)',
  'compliance.col.anyPrivateRate': 'A form private (%)',
  'compliance.map.heading': 'Map: annual reports covering {year}',
  'compliance.map.headingNoYear': 'Map of annual reports',
  'compliance.map.desc':
    'Each State Party coloured by whether its annual report for {year} was received. The table gives the counts.',
  'compliance.map.descCalendar':
    'Each State coloured by whether it owes an annual report for {year} and where its deadline stands. Receipt is not recorded yet.',
  'compliance.cat.received': 'Report received',
  'compliance.cat.not_received': 'Deadline passed, not received',
  'compliance.cat.pending': 'Not yet due or due',
  'compliance.cat.not_owed': 'No report owed',

  // Embargoes
  'embargoes.title': 'Arms embargoes',
  'embargoes.lede':
    'UN Security Council and EU arms embargoes since 1963, episode by episode: who they target, what they cover, when they started and ended, and the measures and sources behind each.',
  'embargoes.filter.label': 'Filter embargoes',
  'embargoes.filter.q': 'Target',
  'embargoes.filter.authority': 'Authority',
  'embargoes.filter.authority.all': 'UN and EU',
  'embargoes.filter.scope': 'Scope',
  'embargoes.filter.scope.all': 'Any scope',
  'embargoes.filter.binding': 'Binding',
  'embargoes.filter.binding.all': 'Mandatory and voluntary',
  'embargoes.filter.asOf': 'In force on',
  'embargoes.filter.asOfHint': 'Leave empty for every episode.',
  'embargoes.filter.inForceToday': 'In force today',
  'embargoes.filter.clear': 'Clear all filters',
  'embargoes.summary': {
    one: '{count} episode of {total}, {targets} targets.',
    other: '{count} episodes of {total}, {targets} targets.',
  },
  'embargoes.summaryOn': {
    one: '{count} episode in force on {date}, {targets} targets.',
    other: '{count} episodes in force on {date}, {targets} targets.',
  },
  'embargoes.timeline.heading': 'Timeline',
  'embargoes.timeline.desc':
    'One row per target; UN episodes on the upper line of a row, EU episodes on the lower one. An arrow marks an episode still in force. Each bar links to the episode’s details below.',
  'embargoes.legend.open': 'Still in force',
  'embargoes.list.heading': 'Episodes',
  'embargoes.none': 'No episode matches these filters.',
  'embargoes.ongoing': 'in force',
  'embargoes.endUnknown': 'end not recorded',
  'embargoes.barLabel': '{authority} embargo on {target}, {period}, scope: {scope}',
  'embargoes.inForceToday': 'in force today',
  'embargoes.stateProfile': 'profile of {name}',
  'embargoes.sourceLine':
    'UN and EU arms embargo episodes compiled for ATT Observatory (data/reference/embargo-episodes.csv)',
  'embargoes.col.period': 'Period',
  'embargoes.col.scope': 'Scope',
  'embargoes.col.binding': 'Binding',
  'embargoes.col.direction': 'Direction',
  'embargoes.col.measures': 'Measures',
  'embargoes.col.confidence': 'Confidence',
  'embargoes.col.sources': 'Sources',
  'embargoes.col.notes': 'Notes',
  'authority.UN': 'UN',
  'authority.EU': 'EU',
  'binding.mandatory': 'Mandatory',
  'binding.voluntary': 'Voluntary',
  'direction.to_target': 'Supplies to the target',
  'direction.from_target': 'Supplies from the target',
  'direction.two_way': 'Both ways',
  'confidence.high': 'High',
  'confidence.medium': 'Medium',
  'confidence.low': 'Low',
  'scope.full': 'Full',
  'scope.government_exempt': 'Government exempt',
  'scope.non_state_actors_only': 'Non-State actors only',
  'scope.named_group': 'A named group',
  'scope.targeted': 'Listed persons and entities',
  'scope.partial_items': 'Some items only',
  'scope.regional': 'A region only',
  'scope.end_use_restricted': 'Restricted end use',
  'scope.approval_regime': 'Approval regime',

  // Methods
  'methods.title': 'Methods, sources and licences',
  'methods.lede':
    'Where the data comes from, what the words mean, and how each figure, flag and indicator is computed.',
  'methods.toc': 'On this page',
  'methods.readMore': 'In full, in the repository:',
  'methods.sources.heading': 'Sources and licences',
  'methods.sources.intro':
    'Reference datasets are compiled for this project from public records; each API answer lists its sources in meta.sources, and every CSV download here carries a citation.',
  'methods.sources.sipri': 'SIPRI data may be used for non-commercial purposes and must be cited as',
  'methods.sources.caption': 'Reference datasets',
  'methods.imports.heading': 'Imported files',
  'methods.imports.intro':
    'Transfer data and reports are imported file by file; every row keeps its file, its SHA-256 and its row number.',
  'methods.imports.caption': 'Imported files',
  'methods.imports.none': 'No file has been imported yet.',
  'methods.col.dataset': 'Dataset',
  'methods.col.source': 'Source',
  'methods.col.licence': 'Licence',
  'methods.col.asAt': 'As at',
  'methods.col.file': 'File',
  'methods.col.imported': 'Imported',
  'methods.col.accepted': 'Rows accepted',
  'methods.col.quarantined': 'Rows set aside',
  'methods.definitions.heading': 'Definitions',
  'methods.screening.heading': 'Embargo screening (ATT Art. 6(1))',
  'methods.screening.intro':
    'Each transfer is checked against the UN and EU arms embargo episodes that concerned its importer (or, for two-way embargoes, its exporter) in its delivery years. The strongest outcome over all episodes decides.',
  'methods.screening.flag': 'An episode covering the transfer was in force for a whole delivery year.',
  'methods.screening.possible':
    'An episode was in force for part of a year only, or its scope (government exemptions, some items, a region, listed persons) or a voluntary character leaves it open.',
  'methods.screening.inconclusive':
    'The transfer cannot be screened: no date at all, an unidentified importer, or an episode whose end is not recorded.',
  'methods.screening.clear': 'No episode concerning the parties was in force in the transfer’s years.',
  'methods.screening.date':
    'Date rule: the delivery years; without them, the year of the record, then the order year. An episode runs from its start date up to, not including, its end date.',
  'methods.screening.scope':
    'Scope rule: a full embargo covers every transfer; a government exemption gives “possible” for supplies to the government; a measure on non-State actors or a named group covers only them.',
  'methods.screening.binding': 'A voluntary measure gives “possible” at most.',
  'methods.screening.eu':
    'An EU measure concerns transfers by EU member States only, in the years they were members.',
  'methods.dossier.heading': 'Risk indicators (ATT Arts 6, 7 and 11)',
  'methods.dossier.intro':
    'For one destination on one date: embargoes in force, the screening of transfers to it, its treaty status, its reporting record and, where loaded, mirror discrepancies. Each indicator has a level and its source.',
  'methods.dossier.info': 'Nothing to point out, or not assessed.',
  'methods.dossier.attention':
    'Something a licensing officer would look at: a partial or voluntary embargo, a possible screening result, a missing or late report.',
  'methods.dossier.concern': 'A mandatory full embargo in force, or a transfer flagged by screening.',
  'methods.dossier.notAssessed':
    'No data is loaded yet on atrocity crimes (Art. 6(3)) or gender-based violence (Art. 7(4)): those indicators say “not assessed”, never “none found”.',
  'methods.coverage.heading': 'The treaty’s share of the arms trade',
  'methods.coverage.intro':
    'SIPRI TIV delivered in the chosen years is added up by the treaty status of each exporter and importer on the chosen date.',
  'methods.coverage.split':
    'A deal delivered over several years is split evenly over its delivery years; only the years inside the period count.',
  'methods.coverage.buckets':
    'Deposited (States Parties and States awaiting entry into force) and in force are kept apart; territories, former States and non-State parties have buckets of their own.',
  'methods.coverage.others':
    'Charts of shares always show the rest as “all others (n States)”, which you can expand.',
  'methods.reporting.heading': 'Reporting obligations and compliance (ATT Art. 13)',
  'methods.reporting.intro':
    'The initial report is due within a year of the treaty’s entry into force for a State; each annual report by 31 May of the following year. The Secretariat allows 7 days of grace.',
  'methods.reporting.not_yet_due': 'The reporting window has not opened.',
  'methods.reporting.due': 'The window is open and the due date has not passed.',
  'methods.reporting.deadline_passed': 'The due date has passed; receipt is not recorded (yet).',
  'methods.reporting.on_time': 'Received by the due date.',
  'methods.reporting.within_grace': 'Received within the 7 days of grace.',
  'methods.reporting.late': 'Received after the grace period.',
  'methods.reporting.missing': 'Not received, due date and grace period over.',
  'methods.reporting.rate':
    'A reporting rate is the share of the States Parties that owed a report whose report was received; private reports count as received and are counted apart.',
  'methods.score.heading': 'Transparency score and mirror analysis',
  'methods.score.intro':
    'Each report is scored against a published rubric (timeliness, both forms, public forms, detail in every row); every point lost names its reason and the rows concerned.',
  'methods.score.mirror':
    'Mirror analysis compares what an exporter, its importer and SIPRI say about the same transfers, by year and UN Register category; a difference is something to explain, not an error.',
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, Message>;
