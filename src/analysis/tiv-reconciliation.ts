/**
 * Checks a TIV table computed from a SIPRI trade register against SIPRI's own TIV table for the same selection (the
 * "Volume of transfers of major arms" export). SIPRI rounds every figure of its table to a whole number (a "0" is a
 * figure between 0 and 0.5), so a party's total or a year cell is reproduced when ours lies within 1 of it
 * (domain.md: "each recipient's total must match within rounding (+-1)"). Classic-layout registers have no per-year
 * split of a deal delivered over several years, so their year cells can only be approximated; totals over the table's
 * whole range do not depend on that.
 */

/** A party's line of SIPRI's table. */
export interface SipriTableLine {
  stateId: string;
  label: string;
  /** Each year column: whole-number text, "0", or null (no deliveries). */
  years: readonly { year: number; tiv: string | null }[];
  /** The range column ("2000-2025"), as written. */
  rangeTotal: string | null;
}

/** Our figure for one party and year (exact decimal text); absent = no deliveries. */
export interface ComputedCell {
  stateId: string;
  year: number;
  tiv: string;
}

export interface PartyCheck {
  stateId: string;
  label: string;
  /** SIPRI's range total (whole number), or null when the table gave none. */
  sipriTotal: number | null;
  /** Ours over the table's years, exact. */
  ourTotal: number;
  /** ours - SIPRI's; null without SIPRI's total. */
  difference: number | null;
  totalWithinRounding: boolean;
  cells: number;
  cellsWithinRounding: number;
}

export interface TivReconciliation {
  years: number[];
  parties: PartyCheck[];
  /** Parties with TIV in our table over those years that SIPRI's table does not list. */
  missingFromSipriTable: { stateId: string; ourTotal: number }[];
  partiesWithinRounding: number;
  cells: number;
  cellsWithinRounding: number;
  sipriGrandTotal: number | null;
  ourGrandTotal: number;
}

const ROUNDING = 1;

export function reconcileTivTable(
  lines: readonly SipriTableLine[],
  ours: readonly ComputedCell[],
  sipriGrandTotal: string | null,
): TivReconciliation {
  const years = [...new Set(lines.flatMap((line) => line.years.map((cell) => cell.year)))].sort(
    (a, b) => a - b,
  );
  const inRange = new Set(years);
  const cells = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const cell of ours) {
    if (!inRange.has(cell.year)) continue;
    cells.set(`${cell.stateId}|${cell.year}`, Number(cell.tiv));
    totals.set(cell.stateId, (totals.get(cell.stateId) ?? 0) + Number(cell.tiv));
  }
  const within = (a: number, b: number) => Math.abs(a - b) <= ROUNDING + 1e-9;
  const listed = new Set(lines.map((line) => line.stateId));
  const parties = lines.map((line): PartyCheck => {
    const ourTotal = round6(totals.get(line.stateId) ?? 0);
    const sipriTotal =
      line.rangeTotal === null || line.rangeTotal.trim() === '' ? null : Number(line.rangeTotal);
    let cellsWithinRounding = 0;
    for (const cell of line.years) {
      const mine = cells.get(`${line.stateId}|${cell.year}`);
      // Reproduced: both empty, or both figures within rounding.
      if (mine === undefined ? cell.tiv === null : cell.tiv !== null && within(mine, Number(cell.tiv)))
        cellsWithinRounding++;
    }
    return {
      stateId: line.stateId,
      label: line.label,
      sipriTotal,
      ourTotal,
      difference: sipriTotal === null ? null : round6(ourTotal - sipriTotal),
      totalWithinRounding: sipriTotal !== null && within(ourTotal, sipriTotal),
      cells: line.years.length,
      cellsWithinRounding,
    };
  });
  const missingFromSipriTable = [...totals.entries()]
    .filter(([stateId, total]) => !listed.has(stateId) && total > 0)
    .map(([stateId, total]) => ({ stateId, ourTotal: round6(total) }))
    .sort((a, b) => a.stateId.localeCompare(b.stateId));
  return {
    years,
    parties,
    missingFromSipriTable,
    partiesWithinRounding: parties.filter((p) => p.totalWithinRounding).length,
    cells: parties.reduce((n, p) => n + p.cells, 0),
    cellsWithinRounding: parties.reduce((n, p) => n + p.cellsWithinRounding, 0),
    sipriGrandTotal:
      sipriGrandTotal === null || sipriGrandTotal.trim() === '' ? null : Number(sipriGrandTotal),
    ourGrandTotal: round6([...totals.values()].reduce((a, b) => a + b, 0)),
  };
}

/**
 * The other side of a SIPRI table from its totals line: "Total imports from China" (a table of China's recipients)
 * or "Total exports to India" (a table of India's suppliers); null for a table of all transfers.
 */
export function counterpartOfTable(
  totalLabel: string,
): { role: 'recipient' | 'supplier'; name: string } | null {
  const imports = /^total imports from\s+(.+?)\s*$/i.exec(totalLabel.trim());
  if (imports) return { role: 'recipient', name: imports[1]! };
  const exports = /^total exports to\s+(.+?)\s*$/i.exec(totalLabel.trim());
  if (exports) return { role: 'supplier', name: exports[1]! };
  return null;
}

/** Figures are shown to 6 decimals at most (the split scale): no binary-float noise in answers. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
