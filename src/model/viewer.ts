import { z } from '@hono/zod-openapi';

/**
 * Who is looking. Every read of stored data takes a Viewer so that visibility (private ATT reports, Art. 13(3)
 * allows a State to keep its report private) is decided in one place. Only `anonymous` exists until accounts arrive.
 */
export const ViewerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  /**
   * Whoever runs the `att` command on the machine that holds the database: they can read every row anyway, so the
   * CLI's own listings (imports, quarantine) show them everything. Never used for an HTTP request.
   */
  z.object({ kind: z.literal('operator') }),
]);
export type Viewer = z.infer<typeof ViewerSchema>;

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'anonymous' });
export const OPERATOR: Viewer = Object.freeze({ kind: 'operator' });
