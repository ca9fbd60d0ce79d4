/**
 * Which SIPRI trade register import answers when a reader names none: the TIV tables, the treaty-coverage shares, and
 * the SIPRI part of the default transfer scope. One rule, so that the views of one database never disagree on the
 * selection or the release they show.
 *
 * SIPRI's site exports selections ("from China to All countries", "from All countries to Ukraine") as well as the
 * whole database, and each year's release revises every earlier year (domain.md). A selection is a subset of the
 * database: taken as the default, it would make a world table of one country's trade. So, in order:
 *
 * 1. the whole database ("from All countries to All countries") before a selection whose parties are unknown (a file
 *    without its preamble), and both before a named selection;
 * 2. the newer release (`sipriReleaseYear`);
 * 3. for TIV by year, the delivery-row layout (each row carries its delivery year; the classic layout's deals delivered
 *    over several years have no per-year split); for rows, the wider year range of the export;
 * 4. more accepted rows; 5. the later import.
 */

export const SIPRI_REGISTER_PARSERS = ['sipri-delivery-rows', 'sipri-deal-rows'] as const;

/** What the rule reads of an import run. */
export interface RegisterCandidate {
  id: number;
  parser: string;
  accepted: number;
  /** A refused file stored nothing and is never a default. */
  refused?: boolean;
  metadata: Readonly<Record<string, string>>;
}

/** `tiv`: a table by year (TIV tables, coverage); `rows`: the transfers themselves (lists, screening, mirror). */
export type RegisterPurpose = 'tiv' | 'rows';

export interface SipriSelection {
  /** As SIPRI writes them, single-spaced: "All countries", "China", or a list; null when the preamble does not say. */
  suppliers: string | null;
  recipients: string | null;
  /** Both "All countries"; undefined when the selection is unknown. */
  wholeDatabase: boolean | undefined;
}

const ALL = 'all countries';

/**
 * The selection of a register from its preamble metadata: `selectionSuppliers` / `selectionRecipients` when the parser
 * wrote them, else read from the first preamble line (`selection`), e.g. "Transfers of major conventional arms from
 * China   to All countries . Deals with deliveries made for the year range '2000' to '2025'".
 */
export function sipriSelectionOf(metadata: Readonly<Record<string, string>>): SipriSelection {
  let suppliers = clean(metadata['selectionSuppliers']);
  let recipients = clean(metadata['selectionRecipients']);
  if (suppliers === null || recipients === null) {
    const read = readSipriSelectionLine(metadata['selection'] ?? '');
    suppliers = read?.suppliers ?? null;
    recipients = read?.recipients ?? null;
  }
  const wholeDatabase =
    suppliers === null || recipients === null
      ? undefined
      : suppliers.toLowerCase() === ALL && recipients.toLowerCase() === ALL;
  return { suppliers, recipients, wholeDatabase };
}

/**
 * The suppliers and recipients of SIPRI's selection line ("Transfers of major conventional arms from All countries  to
 * All countries . Deals with ..."), trimmed and single-spaced, as SIPRI writes them; undefined when the line does not
 * read that way (or names " to " more than once, so that the split would be a guess).
 */
export function readSipriSelectionLine(line: string): { suppliers: string; recipients: string } | undefined {
  // Up to the end of the first sentence: a '.' followed by a space (SIPRI writes " . Deals with ...") or the line end.
  const match = /^transfers of major conventional arms from\s+(.*?)\s*(?:\.(?:\s.*)?)?$/i.exec(line.trim());
  if (!match) return undefined;
  const parts = match[1]!.split(/\s+to\s+/i);
  if (parts.length !== 2) return undefined;
  const suppliers = clean(parts[0]);
  const recipients = clean(parts[1]);
  if (suppliers === null || recipients === null) return undefined;
  return { suppliers, recipients };
}

const NOTICE_START = 'the SIPRI rows come from';

/** Whether a caveat is a register notice (`registerNotice`): an answer repeats it among its notices. */
export function isSelectionNotice(text: string): boolean {
  return text.startsWith(NOTICE_START);
}

/**
 * What an answer built from a SIPRI register must say about its coverage: nothing for the whole database; for a
 * selection ("from China to All countries"), or a file whose preamble does not say, that world figures may not be.
 */
export function registerNotice(metadata: Readonly<Record<string, string>>): string | null {
  const selection = sipriSelectionOf(metadata);
  if (selection.wholeDatabase === true) return null;
  if (selection.wholeDatabase === false) {
    return `${NOTICE_START} a selection of SIPRI's database (${describeSelection(selection)}), not the whole database: world shares and totals cover only that selection; import a whole-database register (att import sipri) for world figures`;
  }
  return `${NOTICE_START} a register whose preamble does not say what was selected from SIPRI's database: world shares and totals may cover only part of it; import the register as SIPRI exports it, with its preamble`;
}

/**
 * Whether a register holds every transfer of a SIPRI TIV table: the whole database (or a file that does not say), or
 * a selection of the table's counterpart with everything on the other side (China's exports for a table of China's
 * recipients: `role` is what the table's first column names).
 */
export function selectionCovers(
  selection: SipriSelection,
  role: 'recipient' | 'supplier',
  counterpart: string | null,
): boolean {
  if (selection.wholeDatabase !== false) return true;
  const all = (name: string | null) => name?.toLowerCase() === ALL;
  const same = (name: string | null) =>
    all(name) || (counterpart !== null && name?.toLowerCase() === counterpart.toLowerCase());
  return role === 'recipient'
    ? same(selection.suppliers) && all(selection.recipients)
    : same(selection.recipients) && all(selection.suppliers);
}

/** "from China to All countries": the selection in a sentence, for notices; null when it is unknown. */
export function describeSelection(selection: SipriSelection): string | null {
  return selection.suppliers === null || selection.recipients === null
    ? null
    : `from ${selection.suppliers} to ${selection.recipients}`;
}

/**
 * The SIPRI release a register belongs to, from its "Data generated" date: SIPRI publishes each annual release in
 * March (data to the end of the previous year), so a file generated in January or February belongs to the previous
 * year's release (the 2025 release generated on 12 Feb 2026 and on 13 Mar 2025 are one release). Undefined without
 * a date.
 */
export function sipriReleaseYear(metadata: Readonly<Record<string, string>>): number | undefined {
  const match = /^(\d{4})-(\d{2})-\d{2}$/.exec(metadata['dataGenerated'] ?? '');
  if (!match) return undefined;
  const year = Number(match[1]);
  return Number(match[2]) >= 3 ? year : year - 1;
}

/** The register to use by default among `runs` (any runs: the others are ignored), or undefined when there is none. */
export function defaultSipriRegister<Run extends RegisterCandidate>(
  runs: readonly Run[],
  purpose: RegisterPurpose,
): Run | undefined {
  const registers = runs.filter(
    (run) => !run.refused && (SIPRI_REGISTER_PARSERS as readonly string[]).includes(run.parser),
  );
  return [...registers].sort((a, b) => compareCandidates(b, a, purpose))[0];
}

/** Positive when `a` is the better default. */
function compareCandidates(a: RegisterCandidate, b: RegisterCandidate, purpose: RegisterPurpose): number {
  const scope = (run: RegisterCandidate) => {
    const whole = sipriSelectionOf(run.metadata).wholeDatabase;
    return whole === true ? 2 : whole === undefined ? 1 : 0;
  };
  const release = (run: RegisterCandidate) => sipriReleaseYear(run.metadata) ?? -Infinity;
  const layout = (run: RegisterCandidate) =>
    purpose === 'tiv' ? (run.parser === 'sipri-delivery-rows' ? 1 : 0) : yearRangeWidth(run.metadata);
  return (
    scope(a) - scope(b) ||
    difference(release(a), release(b)) ||
    difference(layout(a), layout(b)) ||
    a.accepted - b.accepted ||
    a.id - b.id
  );
}

/** Years covered by the export's range; "Not specified" at either end is open (the widest). */
function yearRangeWidth(metadata: Readonly<Record<string, string>>): number {
  const from = Number(metadata['yearRangeFrom']);
  const to = Number(metadata['yearRangeTo']);
  if (!metadata['yearRangeFrom'] && !metadata['yearRangeTo']) return 0;
  const start = Number.isInteger(from) && metadata['yearRangeFrom'] !== '' ? from : 1900;
  const end = Number.isInteger(to) && metadata['yearRangeTo'] !== '' ? to : 2100;
  return Math.max(0, end - start + 1);
}

function difference(a: number, b: number): number {
  return a === b ? 0 : a > b ? 1 : -1;
}

function clean(value: string | undefined): string | null {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : null;
}
