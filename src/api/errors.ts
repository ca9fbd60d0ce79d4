import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';
import { AppError, type AppErrorCode } from '../model/errors.js';

/** The one place where error codes become HTTP statuses. */
const STATUS_BY_CODE: Record<AppErrorCode, ContentfulStatusCode> = {
  validation: 400,
  not_found: 404,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  payload_too_large: 413,
  conflict: 409,
  config: 500,
  data: 500,
  storage: 503,
  internal: 500,
};

/** The one JSON error shape (pinned by src/api/errors.test.ts). */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      status: z.number().int().openapi({ example: 404 }),
      message: z.string().openapi({ example: 'no State with ISO3 code "XYZ"' }),
      parameter: z.string().optional().openapi({ example: 'iso3' }),
      hint: z.string().optional().openapi({ example: 'list valid codes at /v1/states' }),
      validValues: z.array(z.string()).optional(),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export function errorBody(error: AppError): { status: ContentfulStatusCode; body: ErrorBody } {
  const status = STATUS_BY_CODE[error.code];
  // Server-side failures never leak internals: the message of a 5xx is generic unless it is a config/data problem
  // the operator must see (those messages are written for people and contain no stack).
  const exposeMessage = status < 500 || error.code === 'storage';
  const validValues = error.details?.['validValues'];
  return {
    status,
    body: {
      error: {
        code: status >= 500 && !exposeMessage ? 'internal' : error.code,
        status,
        message: exposeMessage
          ? error.message
          : 'the server could not answer this request; it has been logged',
        ...(error.location?.parameter ? { parameter: error.location.parameter } : {}),
        ...(error.hint && exposeMessage ? { hint: error.hint } : {}),
        ...(Array.isArray(validValues) ? { validValues: validValues.map(String) } : {}),
      },
    },
  };
}

export function respondWithError(c: Context, error: unknown) {
  const appError =
    error instanceof AppError ? error : new AppError('internal', 'unexpected error', { cause: error });
  if (!(error instanceof AppError) || errorBody(appError).status >= 500) {
    console.error('[api] %s %s failed:', c.req.method, c.req.path, error);
  }
  const { status, body } = errorBody(appError);
  return c.json(body, status);
}

/** Turns a zod validation failure of a request into an AppError naming the parameter. */
export function validationError(issues: readonly { path: PropertyKey[]; message: string }[]): AppError {
  const issue = issues[0];
  const parameter = issue ? String(issue.path[0] ?? '') : '';
  return new AppError(
    'validation',
    parameter ? `parameter "${parameter}": ${issue!.message}` : 'invalid request',
    {
      location: parameter ? { parameter } : {},
      hint: 'see /openapi.json or /docs for the parameters this endpoint accepts',
    },
  );
}
