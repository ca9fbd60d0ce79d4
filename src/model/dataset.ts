import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from './dates.js';

/** One reference dataset with its provenance, shown beside the data it describes (data/reference/datasets.csv). */
export const DatasetSchema = z
  .object({
    /** Stable key, e.g. `treaty-status`. */
    dataset: z.string().regex(/^[a-z0-9-]+$/, 'expected a lower-case key such as treaty-status'),
    /** File name inside data/reference/. */
    file: z.string().min(1),
    /** The date the facts are valid for (e.g. the depositary's "status as at"); null if not dated. */
    asAt: IsoDateSchema.nullable(),
    source: z.string().min(1),
    licence: z.string().min(1),
    notes: z.string().nullable(),
  })
  .openapi('Dataset');
export type Dataset = z.infer<typeof DatasetSchema>;
