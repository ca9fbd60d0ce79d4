/** SIPRI Arms Transfers Database: trade registers (both layouts), SIPRI's TIV table, TIV by State and year. */
export {
  parseSipriRegister,
  readSipriRegister,
  MIN_YEAR,
  FALLBACK_MAX_YEAR,
  type SipriParseOptions,
  type SipriRegisterReading,
} from './parse-sipri.js';
export { parseSipriTivTable, tivByYear, placeTiv, SPLIT_SCALE } from './tiv-table.js';
export type {
  ClassicYearRule,
  SipriTivTableOptions,
  SipriTivTableRow,
  TivByYearOptions,
  TivByYearResult,
  TivCell,
  TivTransfer,
} from './tiv-table.js';
export {
  DEAL_ROWS,
  DELIVERY_ROWS,
  LAYOUTS,
  type ColumnSpec,
  type LayoutSpec,
  type SipriRegisterLayout,
} from './layouts.js';
export { SIPRI_CITATION, SIPRI_SOURCE, parseSipriDate } from './sipri-file.js';
