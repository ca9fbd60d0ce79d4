import { z } from '@hono/zod-openapi';
import type { ListPage } from './list-conventions.js';

/** Where the data in a response came from: every response names its sources and their licences. */
export const SourceRefSchema = z
  .object({
    dataset: z.string().openapi({ example: 'treaty-status' }),
    source: z.string(),
    licence: z.string(),
    asAt: z.string().nullable().openapi({ description: 'the date the source describes (YYYY-MM-DD)' }),
  })
  .openapi('SourceRef');
export type SourceRef = z.infer<typeof SourceRefSchema>;

export const MetaSchema = z
  .object({
    sources: z.array(SourceRefSchema),
    retrievedAt: z
      .string()
      .openapi({ description: 'when the data were loaded from their sources (ISO 8601)' }),
    notices: z
      .array(z.string())
      .openapi({ description: 'things the caller should know, e.g. a capped _size' }),
  })
  .openapi('Meta');
export type Meta = z.infer<typeof MetaSchema>;

export function listEnvelopeSchema<Row extends z.ZodTypeAny, Extra extends z.ZodRawShape>(
  name: string,
  row: Row,
  extra: Extra = {} as Extra,
) {
  return z
    .object({
      rows: z.array(row),
      count: z.number().int().openapi({ description: 'rows matching the filters, before paging' }),
      next: z.string().nullable().openapi({ description: 'opaque cursor for the next page, or null' }),
      nextUrl: z.string().nullable(),
      meta: MetaSchema,
      ...extra,
    })
    .openapi(name);
}

export function singleEnvelopeSchema<Data extends z.ZodTypeAny>(name: string, data: Data) {
  return z.object({ data, meta: MetaSchema }).openapi(name);
}

export function listEnvelope<Row>(page: ListPage<Row>, requestUrl: string, meta: Meta) {
  let nextUrl: string | null = null;
  if (page.next) {
    const url = new URL(requestUrl);
    url.searchParams.set('_next', page.next);
    nextUrl = `${url.pathname}${url.search}`;
  }
  return { rows: page.rows, count: page.count, next: page.next, nextUrl, meta };
}
