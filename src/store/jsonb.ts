import { sql, type RawBuilder } from 'kysely';

/**
 * A JSON value for a jsonb column, sent as text and cast in SQL. PGlite serialises parameters by their inferred
 * type and `pg` by the JS type (arrays become PostgreSQL arrays), so an explicit text parameter is the one form that
 * both engines store identically.
 */
export function jsonb(value: unknown): RawBuilder<unknown> {
  return sql`cast(${JSON.stringify(value)} as text)::jsonb`;
}
