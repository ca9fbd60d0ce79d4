/**
 * The two layouts of SIPRI's trade register export, as data: which columns, which are required, which are free text
 * (where a stray newline may break a record), and which renames of a column are known.
 */

export type SipriRegisterLayout = 'delivery-rows' | 'deal-rows';

export interface ColumnSpec {
  key: string;
  /** The column's name in SIPRI's header (the classic flag columns are named ' '). */
  name: string;
  required: boolean;
  /** Free text: a record broken by a newline inside this column is rejoined. */
  freeText?: boolean;
  /** An unnamed '?' flag column: it is the blank-named column right after the column with this key. */
  flagOf?: string;
}

export interface LayoutSpec {
  layout: SipriRegisterLayout;
  columns: readonly ColumnSpec[];
  /** Known renames in some releases: header text (compared as headerKey) -> column key. A rename gives a warning. */
  renames: Readonly<Record<string, string>>;
  /** Columns read and checked but with no Transfer field (listed in metadata `unmappedColumns`). */
  unmapped: readonly string[];
}

/**
 * Delivery rows (the current export): one row per deal x delivery year.
 * `SIPRI estimate` is the TIV of a new unit; `TIV deal unit` is the unit TIV actually used for the deal (lower for
 * second-hand weapons), so it is the one mapped to `tivPerUnit`.
 */
export const DELIVERY_ROWS: LayoutSpec = {
  layout: 'delivery-rows',
  columns: [
    { key: 'recordId', name: 'SIPRI AT Database ID', required: true },
    { key: 'supplier', name: 'Supplier', required: true },
    { key: 'recipient', name: 'Recipient', required: true },
    { key: 'designation', name: 'Designation', required: false, freeText: true },
    { key: 'description', name: 'Description', required: false, freeText: true },
    { key: 'category', name: 'Armament category', required: true },
    { key: 'orderYear', name: 'Order date', required: false },
    { key: 'orderYearEstimate', name: 'Order date is estimate', required: false },
    { key: 'numberDelivered', name: 'Numbers delivered', required: true },
    { key: 'numberDeliveredEstimate', name: 'Numbers delivered is estimate', required: false },
    { key: 'deliveryYear', name: 'Delivery year', required: true },
    { key: 'deliveryYearEstimate', name: 'Delivery year is estimate', required: false },
    { key: 'status', name: 'Status', required: false },
    { key: 'sipriEstimate', name: 'SIPRI estimate', required: false },
    { key: 'tivPerUnit', name: 'TIV deal unit', required: false },
    { key: 'tivDelivered', name: 'TIV delivery values', required: true },
    { key: 'localProduction', name: 'Local production', required: false },
  ],
  renames: {},
  unmapped: ['SIPRI estimate'],
};

/**
 * Deal rows (the classic export): one row per deal. The three unnamed columns are positional: each follows the column
 * it flags ('?' = uncertain).
 */
export const DEAL_ROWS: LayoutSpec = {
  layout: 'deal-rows',
  columns: [
    { key: 'recipient', name: 'Recipient', required: true },
    { key: 'supplier', name: 'Supplier', required: true },
    { key: 'orderYear', name: 'Year of order', required: true },
    { key: 'orderYearFlag', name: ' ', required: true, flagOf: 'orderYear' },
    { key: 'numberOrdered', name: 'Number ordered', required: true },
    { key: 'numberOrderedFlag', name: ' ', required: true, flagOf: 'numberOrdered' },
    { key: 'designation', name: 'Weapon designation', required: false, freeText: true },
    { key: 'description', name: 'Weapon description', required: false, freeText: true },
    { key: 'numberDelivered', name: 'Number delivered', required: true },
    { key: 'numberDeliveredFlag', name: ' ', required: true, flagOf: 'numberDelivered' },
    { key: 'deliveryYears', name: 'Year(s) of delivery', required: true },
    { key: 'status', name: 'status', required: false },
    { key: 'comments', name: 'Comments', required: false, freeText: true },
    { key: 'tivPerUnit', name: 'SIPRI TIV per unit', required: true },
    { key: 'tivTotalOrder', name: 'SIPRI TIV for total order', required: true },
    { key: 'tivDelivered', name: 'SIPRI TIV of delivered weapons', required: true },
  ],
  renames: {
    // Exports restricted to a year range (e.g. the 2026 China register): the count covers the selected years only.
    'deliveries in the year range': 'numberDelivered',
  },
  unmapped: [],
};

export const LAYOUTS: Readonly<Record<SipriRegisterLayout, LayoutSpec>> = {
  'delivery-rows': DELIVERY_ROWS,
  'deal-rows': DEAL_ROWS,
};

/**
 * Armament category spellings of older SIPRI releases -> the current spelling, so that one filter finds every release
 * (keys compared lower case with spaces collapsed). The file's own spelling is kept in the import's metadata
 * (`categorySpellings`) and a warning; only listed spellings change, anything else is kept as written.
 */
export const CATEGORY_SPELLINGS: Readonly<Record<string, string>> = {
  // 2024 release and earlier.
  'air defence systems': 'Air-defence systems',
};
