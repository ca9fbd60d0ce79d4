// Exact decimals live in the model layer (analysis needs them too); re-exported here for the parsers.
export * from '../model/decimal.js';
