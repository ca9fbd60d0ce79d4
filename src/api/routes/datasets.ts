import type { OpenAPIHono } from '@hono/zod-openapi';
import { DatasetSchema } from '../../model/dataset.js';
import type { AppDeps } from '../app.js';
import { registerList } from './list-route.js';
import { metaFor } from './meta.js';

export function registerDatasetRoutes(app: OpenAPIHono, deps: AppDeps): void {
  registerList(app, {
    path: '/v1/datasets',
    tag: 'Datasets',
    summary: 'The reference datasets: source, licence and the date each describes ("as at")',
    row: DatasetSchema,
    rowName: 'Dataset',
    spec: { filterable: ['dataset'], sortable: ['dataset'], defaultSort: 'dataset' },
    async load(c) {
      const snapshot = await deps.reference.snapshot(c.get('viewer'));
      return {
        rows: snapshot.datasets,
        meta: metaFor(
          snapshot,
          snapshot.datasets.map((d) => d.dataset),
        ),
      };
    },
  });
}
