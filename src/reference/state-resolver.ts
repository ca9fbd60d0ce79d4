import type { State, StateAlias } from '../model/state.js';
import { normaliseName } from './names.js';

export interface StateResolver {
  /**
   * The crosswalk entry a source's name or code stands for, or undefined: an unknown name is for the caller to
   * quarantine, never to drop. Matches ids/ISO codes exactly, names and aliases after normaliseName().
   */
  resolve(nameOrCode: string): State | undefined;
}

/** Builds a resolver over the crosswalk: ids and ISO codes, then names, then aliases (state-aliases.csv). */
export function createStateResolver(states: readonly State[], aliases: readonly StateAlias[]): StateResolver {
  const byId = new Map<string, State>();
  const byName = new Map<string, State>();
  for (const state of states) {
    byId.set(state.id, state);
    if (state.iso3) byId.set(state.iso3, state);
    byName.set(normaliseName(state.name), state);
  }
  for (const alias of aliases) {
    const state = byId.get(alias.stateId);
    if (state) byName.set(normaliseName(alias.alias), state);
  }
  return {
    resolve(nameOrCode) {
      const trimmed = nameOrCode.trim();
      return byId.get(trimmed) ?? byName.get(normaliseName(trimmed));
    },
  };
}
