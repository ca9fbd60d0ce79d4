import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { EmbargoEpisodeSchema } from '../../model/embargo.js';
import type { AppDeps } from '../app.js';
import { parseDateParameter } from '../as-of.js';
import { registerList } from './list-route.js';
import { metaFor } from './meta.js';

export function registerEmbargoRoutes(app: OpenAPIHono, deps: AppDeps): void {
  registerList(app, {
    path: '/v1/embargoes',
    tag: 'Embargoes',
    summary: 'UN Security Council and EU arms embargo episodes (one row per period with a stable scope)',
    description:
      'With `asOf`, only episodes in force on that date: started on or before it and not yet ended (an episode ends ' +
      "on its end date). `target` matches any of an episode's targets (ISO3 or crosswalk id).",
    row: EmbargoEpisodeSchema,
    rowName: 'EmbargoEpisode',
    spec: {
      filterable: ['authority', 'regime', 'scopeCode', 'direction', 'binding', 'confidence'],
      sortable: ['startDate', 'endDate', 'id', 'target', 'authority'],
      defaultSort: 'startDate',
      parameters: ['asOf', 'target'],
    },
    parameters: {
      asOf: z.string().optional().openapi({ description: 'only episodes in force on this date, YYYY-MM-DD' }),
      target: z
        .string()
        .optional()
        .openapi({ description: 'ISO3 code or crosswalk id of a target, e.g. SSD' }),
    },
    async load(c, query) {
      const snapshot = await deps.reference.snapshot(c.get('viewer'));
      const asOfParam = query.parameters.get('asOf');
      const asOf = asOfParam ? parseDateParameter(asOfParam, 'asOf') : undefined;
      const target = query.parameters.get('target')?.toUpperCase();
      const rows = snapshot.embargoes.filter(
        (e) =>
          (asOf === undefined ||
            (e.startDate !== null && e.startDate <= asOf && (e.endDate === null || asOf < e.endDate))) &&
          (target === undefined || (e.targetIds as readonly string[]).includes(target)),
      );
      return { rows, meta: metaFor(snapshot, ['un-arms-embargoes', 'eu-arms-embargoes']) };
    },
  });
}
