import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import type { Clock } from '../model/clock.js';
import { AppError } from '../model/errors.js';
import type { ReportingRules } from '../model/reporting.js';
import type { ImportRepository } from '../store/import-repository.js';
import type { TransferRepository } from '../store/transfer-repository.js';
import type { RegistryRepository } from '../store/registry-repository.js';
import type { ReferenceRepository } from '../store/reference-repository.js';
import type { ReportingRepository } from '../store/reporting-repository.js';
import type { DataVersion } from '../store/data-version.js';
import type { AlertEventRepository } from '../store/alert-events.js';
import type { ReferenceUpkeep } from '../store/reference-upkeep-repository.js';
import type { SubscriptionRepository } from '../store/subscription-repository.js';
import type { AuditLog } from '../store/audit-log.js';
import type { AnnotationRepository } from '../store/annotation-repository.js';
import type { MeetingRepository } from '../store/meeting-repository.js';
import { authMiddleware, type AuthDeps } from './auth/middleware.js';
import { registerAuthRoutes } from './auth/routes.js';
import { respondWithError, validationError } from './errors.js';
import { registerDatasetRoutes } from './routes/datasets.js';
import { registerEmbargoRoutes } from './routes/embargoes.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerTivCheckRoute, registerTivRoutes } from './routes/tiv.js';
import { registerTransferRoutes } from './routes/transfers.js';
import { registerComplianceRoutes } from './routes/compliance.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerBulkRoutes } from './routes/bulk.js';
import { registerMeetingRoutes } from './routes/meetings.js';
import { registerAnnotationRoutes } from './routes/annotations.js';
import { registerReportingRoutes } from './routes/reporting.js';
import { registerReportingWorkflowRoutes } from './routes/reporting-workflow.js';
import { registerStateRoutes } from './routes/states.js';
import { registerTreatyRoutes } from './routes/treaty.js';
import { registerReferenceUpkeepRoutes } from './routes/reference-upkeep.js';
import { registerFeedRoutes } from './routes/feeds.js';
import { registerSubscriptionRoutes } from './routes/subscriptions.js';
import { docsPage } from './docs-page.js';
import { responseCache } from './response-cache.js';
import type { DownloadSettings } from './downloads.js';
import { registerWebApp } from './web-static.js';

export interface AppDeps {
  reference: ReferenceRepository;
  /** Import runs, quarantine and transfers; absent in tests that serve reference data only. */
  imports?: ImportRepository;
  transfers?: TransferRepository;
  registry?: RegistryRepository;
  /** The State reporting workflow: drafts, submitted versions (ATT Art. 13). */
  reportingWorkflow?: ReportingRepository;
  /** data/reference (exchange rates for the mirror analysis). */
  referenceDir?: string;
  clock: Clock;
  reporting: ReportingRules;
  /** A token that changes when the public data change; enables the in-memory response cache for GETs. */
  dataVersion?: DataVersion;
  /** Alert events (feeds), reference upkeep and subscriptions; when absent, those routes are not served. */
  alerts?: AlertDeps;
  /** Download settings (SIPRI downloads on or off); default: on. */
  downloads?: DownloadSettings;
  /** Directory of the built web app (web/dist); when absent, only the API is served. */
  webRoot?: string;
  /** Accounts (sessions, API keys, invitations); when absent, every request is anonymous. */
  auth?: AuthDeps;
  /** Meetings, sessions and documents (civil-society layer); absent: no meeting routes. */
  meetings?: MeetingRepository;
  /** Questions and annotations on public reports; absent: no annotation routes. */
  annotations?: AnnotationRepository;
  /** Questions and annotations one account may post in an hour (default 20; the repository counts them). */
  annotationsPerHour?: number;
}

export interface AlertDeps {
  events: AlertEventRepository;
  upkeep: ReferenceUpkeep;
  subscriptions: SubscriptionRepository;
  audit: AuditLog;
  /** Accept webhook URLs on this machine or a private network (ATT_WEBHOOK_PRIVATE_ADDRESSES=allow; tests). */
  webhookPrivateAddresses: boolean;
}

export type ApiApp = OpenAPIHono;

export const JSON_BODY_LIMIT = 1024 * 1024;
export const UPLOAD_BODY_LIMIT = 16 * 1024 * 1024;

/** Builds the HTTP app. No socket here: tests call `app.request()`, `att serve` hands it to @hono/node-server. */
export function createApp(deps: AppDeps): ApiApp {
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error.issues);
      return undefined;
    },
  });

  app.use('*', compress());
  // Request bodies are bounded before anything reads them: JSON bodies (forms, annotations) to 1 MB, uploads
  // (report templates) to 16 MB. Over the limit: 413 in the one error shape.
  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const json = (c.req.header('content-type') ?? '').includes('json');
    const maxSize = json ? JSON_BODY_LIMIT : UPLOAD_BODY_LIMIT;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError('payload_too_large', `the request body is over ${maxSize / 1024 / 1024} MB`, {
          hint: json ? 'send a smaller JSON body' : 'split the file, or compress it as XLSX',
        });
      },
    })(c, next);
  });
  app.use('/v1/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  app.use('/openapi.json', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  // Answers change only when reference data are reloaded or the date moves on: a short max-age and a strong ETag
  // let clients and proxies revalidate cheaply.
  app.use('/v1/*', etag());
  // Who is asking (session cookie, API key, else anonymous), and CSRF / API-key limits; before any cache.
  app.use('*', authMiddleware(deps));
  if (deps.dataVersion) {
    const clock = deps.clock;
    const cache = responseCache({ dataVersion: deps.dataVersion, today: () => clock.now().toISOString().slice(0, 10) });
    // Only anonymous answers are cached and served from the cache: a signed-in viewer may see private rows.
    app.use('/v1/*', (c, next) => (c.get('viewer').kind === 'anonymous' ? cache(c, next) : next()));
  }
  app.use('/v1/*', async (c, next) => {
    await next();
    // The same URL answers differently once signed in: caches (the browser's too) must key on the credentials, or a
    // reader who just signed in would be shown the anonymous copy for max-age.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') c.header('Vary', 'Cookie, Authorization', { append: true });
    // A route that chose its own caching (e.g. /v1/auth/me: no-store, its answer changes at sign-in) keeps it.
    if (c.req.method === 'GET' && c.res.status < 400 && !c.res.headers.has('Cache-Control')) {
      c.header('Cache-Control', c.get('viewer').kind === 'anonymous' ? 'public, max-age=300' : 'private, no-store');
    }
  });

  // How signed-in requests authenticate (described once; routes name them in `security`).
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'att_session',
    description: 'session cookie from POST /v1/auth/login; POST/PUT/PATCH/DELETE also need the x-csrf-token header',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: "a researcher's API key (POST /v1/api-keys): authorization: Bearer att_...",
  });

  registerAuthRoutes(app, deps);

  registerStateRoutes(app, deps);
  registerTreatyRoutes(app, deps);
  registerReportingRoutes(app, deps);
  registerEmbargoRoutes(app, deps);
  registerDatasetRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerTivCheckRoute(app, deps);
  registerTivRoutes(app, deps);
  registerTransferRoutes(app, deps);
  registerComplianceRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerBulkRoutes(app, deps);
  registerReportingWorkflowRoutes(app, deps);
  registerReferenceUpkeepRoutes(app, deps);
  registerFeedRoutes(app, deps);
  registerSubscriptionRoutes(app, deps);
  registerMeetingRoutes(app, deps);
  registerAnnotationRoutes(app, deps);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'ATT Observatory API',
      version: '1.0.0',
      description:
        'Open data on the Arms Trade Treaty: treaty status, reporting obligations, arms embargoes. ' +
        'Conventions (filters, _sort, _size, _next, .csv twins) and the stability promise: docs/api.md.',
      license: { name: 'Apache-2.0 (code); each dataset carries its own licence in meta.sources' },
    },
  });
  app.get('/docs', (c) => c.html(docsPage()));
  if (deps.webRoot) registerWebApp(app, deps.webRoot);

  app.notFound((c) =>
    respondWithError(
      c,
      new AppError('not_found', `no such path: ${c.req.path}`, {
        hint: 'the endpoints are listed at /openapi.json and /docs',
      }),
    ),
  );
  app.onError((error, c) => respondWithError(c, error));
  return app;
}
