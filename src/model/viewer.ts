import { z } from '@hono/zod-openapi';

/**
 * Who is looking. Every read of stored data takes a Viewer so that visibility (private ATT reports, Art. 13(3)
 * allows a State to keep its report private) is decided in one place: `privateAccess` below.
 */
export const ViewerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  /**
   * Whoever runs the `att` command on the machine that holds the database: they can read every row anyway, so the
   * CLI's own listings (imports, quarantine) show them everything. Never used for an HTTP request.
   */
  z.object({ kind: z.literal('operator') }),
  /** A registered researcher or NGO: public data only, plus an API key. */
  z.object({ kind: z.literal('researcher'), userId: z.string() }),
  /**
   * A State's reporting officer. `stateParty` is whether that State is a State Party on the day of the request
   * (resolved from the treaty records when the viewer is resolved, so that the store needs no reference data).
   */
  z.object({ kind: z.literal('state_officer'), userId: z.string(), stateId: z.string(), stateParty: z.boolean() }),
  /** The ATT Secretariat: distributes reports to States Parties (ATT Art. 13(3)), so it reads every report. */
  z.object({ kind: z.literal('secretariat'), userId: z.string() }),
  z.object({ kind: z.literal('admin'), userId: z.string() }),
]);
export type Viewer = z.infer<typeof ViewerSchema>;

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'anonymous' });
export const OPERATOR: Viewer = Object.freeze({ kind: 'operator' });

/**
 * Which private report forms a viewer may read. ATT Art. 13(3): reports go to the Secretariat, which distributes
 * them to States Parties; a State may keep its report private from the public. So: the reporting State's officers,
 * the Secretariat (and admin, and the local operator) and officers of States Parties; never the public or
 * researchers. An officer of a State that is not a State Party sees only its own State's private forms.
 */
export type PrivateAccess = { kind: 'none' } | { kind: 'all' } | { kind: 'own-state'; stateId: string };

export function privateAccess(viewer: Viewer): PrivateAccess {
  switch (viewer.kind) {
    case 'anonymous':
    case 'researcher':
      return { kind: 'none' };
    case 'operator':
    case 'secretariat':
    case 'admin':
      return { kind: 'all' };
    case 'state_officer':
      return viewer.stateParty ? { kind: 'all' } : { kind: 'own-state', stateId: viewer.stateId };
  }
}

/** A key naming what a viewer can see: two viewers with the same key see the same rows (for caches). */
export function visibilityKey(viewer: Viewer): string {
  const access = privateAccess(viewer);
  return access.kind === 'own-state' ? `own-state:${access.stateId}` : access.kind;
}
