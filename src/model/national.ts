import { z } from '@hono/zod-openapi';
import { StateIdSchema } from './state.js';
import { DecimalSchema, ProvenanceSchema, TransferSchema } from './transfer.js';

/**
 * Records read from national and EU export-control files (src/ingest/national). A national file holds more than
 * transfers: licence totals, dual-use licences, consultations, control-list ratings, refusal criteria, footnotes.
 * Every record carries its provenance (source, file sha256, row, sheet, import run). docs/national-sources.md says
 * which file gives which record and how each column was read.
 */

/** A non-negative whole number as counted by a source (licences, consultations). */
const CountSchema = z.number().int().min(0);

/** A calendar year a national file can hold (the Transfer model's bounds). */
const YearSchema = z.number().int().min(1900).max(2100);

/** EU Common Military List category: ML1 ... ML22. */
export const MlCategorySchema = z.string().regex(/^ML(?:[1-9]|1\d|2[0-2])$/, 'expected ML1 ... ML22');

/** An EU Military List entry at any depth, normalised (`ML10`, `ML13d1`, `ML8c5a1`). */
export const MlCodeSchema = z
  .string()
  .regex(/^ML(?:[1-9]|1\d|2[0-2])(?:[a-z]\d*)*$/, 'expected an ML code such as ML13d1');

/**
 * A party as the source wrote it and what it stands for: a crosswalk id (a State, territory, organisation ...) or an
 * explicit aggregate such as "Worldwide" or "Multiple countries" (src/ingest/national/parties.ts), never both.
 */
export const NationalPartySchema = z
  .object({
    /** The name as written (trimmed). */
    name: z.string(),
    /** The source's own code, when it gives one (ISO 3166-1 alpha-2 in the EU tables). */
    code: z.string().nullable(),
    stateId: StateIdSchema.nullable(),
    /** Code of an explicit aggregate (`worldwide`, `multiple`, `unspecified` ...): the party is not a State. */
    aggregate: z.string().nullable(),
  })
  .refine((party) => (party.stateId === null) !== (party.aggregate === null), {
    message: 'a party is either a crosswalk id or an aggregate',
  })
  .openapi('NationalParty');
export type NationalParty = z.infer<typeof NationalPartySchema>;

/** An amount of a licence as written by SaferGlobe ("350 + 150" with unit "pcs + kg" -> two amounts). */
export const LicensedAmountSchema = z.object({ amount: DecimalSchema, unit: z.string().nullable() });

/** What a Finnish transfer row says beyond the Transfer model (kept with the transfer, keyed by its provenance). */
export const FiTransferDetailsSchema = z
  .object({
    /** SaferGlobe's region label ("European Union", "Middle East" ...): SaferGlobe's grouping, not M49. */
    region: z.string().nullable(),
    /** The destination cell as written. */
    destinationText: z.string(),
    /** One party, or several for a licence covering several destinations ("Italy, Germany, France, Spain"). */
    destinations: z.array(NationalPartySchema).min(1),
    /** The "Export to international mission(s)" cell as written ("Int"), or null. */
    missionFlag: z.string().nullable(),
    toInternationalMissions: z.boolean(),
    mlCategoryNumberText: z.string().nullable(),
    mlCategoryFullText: z.string().nullable(),
    /** SaferGlobe's note for rows without an ML category, e.g. "ML7 or ML13" (2002). */
    mlCategoryNote: z.string().nullable(),
    /** Every ML category the row covers (several when SaferGlobe lists several: "ML2,ML3"). */
    mlCategories: z.array(MlCategorySchema),
    /** The sub-categories as normalised codes ("ML1a, 1d" -> ML1a, ML1d); a bare category ("ML1") is not one. */
    mlSubcategories: z.array(MlCodeSchema),
    /** Export licences only. */
    numberOfLicences: CountSchema.nullable(),
    amountText: z.string().nullable(),
    unitText: z.string().nullable(),
    amounts: z.array(LicensedAmountSchema),
    /** Finnish national category ("CL category", 2002-2003 licences). */
    nationalCategory: z.string().nullable(),
    countryNote: z.string().nullable(),
    /** The value as the spreadsheet stored it (shortest float text) when rounding to cents changed it. */
    valueAsStored: z.string().nullable(),
  })
  .openapi('FiTransferDetails');
export type FiTransferDetails = z.infer<typeof FiTransferDetailsSchema>;

/** A transfer (Transfer model) with the source's own extra fields. */
export const NationalTransferRecordSchema = z
  .object({
    kind: z.literal('transfer'),
    transfer: TransferSchema,
    details: FiTransferDetailsSchema,
  })
  .openapi('NationalTransferRecord');

/**
 * Finland's totals per destination and year (sheets `actual_exp_mil_by_country`, `exp_licences_mil_by_country`).
 * Totals over ML categories: never add them to the transfers of the same file (they are the same exports).
 */
export const FiCountryTotalSchema = z
  .object({
    kind: z.literal('fi-country-total'),
    basis: z.enum(['actual', 'authorised']),
    year: YearSchema,
    region: z.string().nullable(),
    destinationText: z.string(),
    destinations: z.array(NationalPartySchema).min(1),
    partnerAggregated: z.boolean(),
    /** Actual exports: "Value of exports to international missions (eur)". */
    valueToMissions: DecimalSchema.nullable(),
    /** Actual exports: "Value of exports to recipients in the country (eur)". */
    valueToRecipientsInCountry: DecimalSchema.nullable(),
    totalValue: DecimalSchema.nullable(),
    currency: z.literal('EUR'),
    valueMissingReason: z.enum(['not_reported']).nullable(),
    /** Licences: "Int all" / "Int partly" as written. */
    missionFlag: z.string().nullable(),
    toInternationalMissions: z.enum(['all', 'partly']).nullable(),
    countryNote: z.string().nullable(),
    provenance: ProvenanceSchema,
  })
  .openapi('FiCountryTotal');
export type FiCountryTotal = z.infer<typeof FiCountryTotalSchema>;

/** One HS subheading's value in a row of Finland's civilian firearms exports. */
export const HsValueSchema = z.object({
  /** HS / CN subheading as SaferGlobe labels the column (six digits, e.g. 930320). */
  hsCode: z.string().regex(/^\d{6}$/),
  labelEn: z.string().nullable(),
  labelFi: z.string().nullable(),
  value: DecimalSchema,
});

/**
 * Finland's actual exports of civilian firearms by HS code (customs statistics, sheet `actual_exp_civ`). Civilian
 * firearms are outside the EU Military List; some would fall under ATT Art. 2(1)(h), but no category is inferred.
 */
export const FiCivilianArmsExportSchema = z
  .object({
    kind: z.literal('fi-civilian-arms-export'),
    year: YearSchema,
    destination: NationalPartySchema,
    region: z.string().nullable(),
    /** "Years country is included in the data", as written ("2002--.", "2002--2003"). */
    yearsIncluded: z.string().nullable(),
    totalValue: DecimalSchema,
    currency: z.literal('EUR'),
    /** Every HS column of the sheet, zeros included (a zero is a reported zero). */
    values: z.array(HsValueSchema),
    provenance: ProvenanceSchema,
  })
  .openapi('FiCivilianArmsExport');
export type FiCivilianArmsExport = z.infer<typeof FiCivilianArmsExportSchema>;

/** A Finnish dual-use export licence (sheet `exp_licences_dual-use`), with the exporting company as published. */
export const FiDualUseLicenceSchema = z
  .object({
    kind: z.literal('fi-dual-use-licence'),
    year: YearSchema,
    /** The licence date (YYYY-MM-DD) from the Excel date serial, or null when the cell says N/A. */
    licenceDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    /** Date and time as stored, rounded to the second, without a zone (the workbook stores local times). */
    licenceDateTime: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
      .nullable(),
    destinationText: z.string(),
    /** Usually one; a licence may name several ("Philippines, Brunei"). */
    destinations: z.array(NationalPartySchema).min(1),
    region: z.string().nullable(),
    licenceType: z.enum(['individual', 'global']).nullable(),
    licenceTypeText: z.string(),
    /** EU dual-use (Annex I) and other control codes, normalised (`2b351` -> `2B351`); empty when the cell is "-". */
    controlCodes: z.array(z.string()),
    controlCodesText: z.string(),
    description: z.string().nullable(),
    /** The source's "Exporter" column: a company, not a State. */
    exporterCompany: z.string().nullable(),
    /** Finnish business ID (Y-tunnus) as written, or null when N/A. */
    exporterBusinessId: z.string().nullable(),
    licenceNumber: z.string().min(1),
    provenance: ProvenanceSchema,
  })
  .openapi('FiDualUseLicence');
export type FiDualUseLicence = z.infer<typeof FiDualUseLicenceSchema>;

/** EU annual report, brokering licences (CAAT's broker.csv): a Member State licensed brokering between third countries. */
export const EuBrokeringLicenceSchema = z
  .object({
    kind: z.literal('eu-brokering-licence'),
    year: YearSchema,
    brokerState: NationalPartySchema,
    status: z.enum(['issued', 'refused']),
    /** Where the brokered goods go (CAAT's columns 5-6, which its README calls "source"). */
    destinations: z.array(NationalPartySchema),
    /** Where the brokered goods come from (CAAT's last two columns, which its README calls "destination"). */
    origins: z.array(NationalPartySchema),
    numberOfLicences: CountSchema.nullable(),
    /** "Value of licensed items" (EUR as CAAT states). */
    licensedValue: DecimalSchema.nullable(),
    /** "Value of brokered items", one value per rating when the report lists several. */
    valueBrokered: z.array(DecimalSchema),
    currency: z.literal('EUR'),
    ratingText: z.string(),
    /** Rating tokens, normalised (ML codes and national codes such as PL5017). */
    ratings: z.array(z.string()),
    mlCategories: z.array(MlCategorySchema),
    /** The report says "multiple categories" instead of listing them. */
    ratingsAggregated: z.boolean(),
    quantityText: z.string().nullable(),
    provenance: ProvenanceSchema,
  })
  .openapi('EuBrokeringLicence');
export type EuBrokeringLicence = z.infer<typeof EuBrokeringLicenceSchema>;

/** EU annual report, exports to UN or other international missions (CAAT's mission.csv). */
export const EuMissionExportSchema = z
  .object({
    kind: z.literal('eu-mission-export'),
    year: YearSchema,
    exporterState: NationalPartySchema,
    /** The country where the mission is (or an aggregate such as "other"). */
    destination: NationalPartySchema,
    /** The mission / end user as written ("ISAF", "UNMIK ...", "Items were purchased by ..."). */
    mission: z.string().nullable(),
    items: z.string().nullable(),
    provenance: ProvenanceSchema,
  })
  .openapi('EuMissionExport');
export type EuMissionExport = z.infer<typeof EuMissionExportSchema>;

/**
 * EU annual report, consultations between Member States on denials (CAAT's consult.csv). A row is about a Member
 * State (initiated / received), a destination (consultations concerning it), or the year's total.
 */
export const EuConsultationSchema = z
  .object({
    kind: z.literal('eu-consultation'),
    year: YearSchema,
    role: z.enum(['member-state', 'destination', 'total']),
    party: NationalPartySchema.nullable(),
    initiated: CountSchema.nullable(),
    received: CountSchema.nullable(),
    concerning: CountSchema.nullable(),
    provenance: ProvenanceSchema,
  })
  .openapi('EuConsultation');
export type EuConsultation = z.infer<typeof EuConsultationSchema>;

/** Kinds of UK control-list ratings. */
export const UK_RATING_SCHEMES = ['eu-ml', 'uk-national', 'dual-use', 'other'] as const;

/** A UK control-list rating (CAAT's ratings.csv): ML1-ML22, UK PL codes, dual-use ECCNs, sanctions codes. */
export const UkControlRatingSchema = z
  .object({
    kind: z.literal('uk-control-rating'),
    rating: z.string().min(1),
    scheme: z.enum(UK_RATING_SCHEMES),
    /** ML category when the rating is one (never inferred for other schemes). */
    mlCategory: MlCategorySchema.nullable(),
    military: z.boolean(),
    shortDescription: z.string().nullable(),
    fullDescription: z.string().nullable(),
    provenance: ProvenanceSchema,
  })
  .openapi('UkControlRating');
export type UkControlRating = z.infer<typeof UkControlRatingSchema>;

/** A refusal criterion cited for a UK licence cohort (CAAT's refusal-criteria.csv; Consolidated Criteria 1-8). */
export const UkRefusalCriterionSchema = z
  .object({
    kind: z.literal('uk-refusal-criterion'),
    licenceCohortId: z.string().regex(/^\d+$/),
    criterion: z.number().int().min(1).max(8),
    description: z.string().min(1),
    provenance: ProvenanceSchema,
  })
  .openapi('UkRefusalCriterion');
export type UkRefusalCriterion = z.infer<typeof UkRefusalCriterionSchema>;

/** A UK footnote on a destination (CAAT's footnotes-region.csv), often the arms embargo in force. */
export const UkDestinationFootnoteSchema = z
  .object({
    kind: z.literal('uk-destination-footnote'),
    destination: NationalPartySchema,
    text: z.string().min(1),
    provenance: ProvenanceSchema,
  })
  .openapi('UkDestinationFootnote');
export type UkDestinationFootnote = z.infer<typeof UkDestinationFootnoteSchema>;

/** Every record a national file can give, told apart by `kind`. */
export const NationalRecordSchema = z.discriminatedUnion('kind', [
  NationalTransferRecordSchema,
  FiCountryTotalSchema,
  FiCivilianArmsExportSchema,
  FiDualUseLicenceSchema,
  EuBrokeringLicenceSchema,
  EuMissionExportSchema,
  EuConsultationSchema,
  UkControlRatingSchema,
  UkRefusalCriterionSchema,
  UkDestinationFootnoteSchema,
]);
export type NationalRecord = z.infer<typeof NationalRecordSchema>;
export type NationalRecordKind = NationalRecord['kind'];
export type NationalTransferRecord = z.infer<typeof NationalTransferRecordSchema>;
