import { hash, verify } from '@node-rs/argon2';

/** Hashes and checks passwords; injected so that tests can use cheap parameters. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface Argon2Cost {
  /** KiB of memory. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** Production cost: argon2id, 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended option, single lane). */
export const PRODUCTION_ARGON2: Argon2Cost = Object.freeze({ memoryCost: 65_536, timeCost: 3, parallelism: 1 });
/** Tests only: the smallest cost argon2 accepts in practice, so that a login costs ~1 ms. Never in production. */
export const TEST_ARGON2: Argon2Cost = Object.freeze({ memoryCost: 1_024, timeCost: 1, parallelism: 1 });

// Algorithm.Argon2id is a const enum in the typings; with isolatedModules its value (2) is written out here.
const ARGON2ID = 2;

/** argon2id hashing (the PHC string carries its parameters, so hashes made at another cost still verify). */
export function argon2Hasher(cost: Argon2Cost = PRODUCTION_ARGON2): PasswordHasher {
  return {
    hash: (password) => hash(password, { algorithm: ARGON2ID, ...cost }),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false; // a malformed stored hash never lets anyone in
      }
    },
  };
}
