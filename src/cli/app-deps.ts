import type { AppDeps } from '../api/app.js';
import { argon2Hasher, type PasswordHasher } from '../api/auth/passwords.js';
import type { Clock } from '../model/clock.js';
import type { Settings } from '../settings.js';
import { authDepsFor } from './account-commands.js';
import { appAlertDepsFor } from './alert-commands.js';
import { repositoriesOf, type Context } from './context.js';

/**
 * Everything the HTTP app of `att serve` is built from, in one place, so that tests that check the whole route table
 * (test/integration/visibility-matrix.test.ts) build exactly the app that is served.
 */
export function appDepsFor(
  context: Context,
  settings: Settings,
  clock: Clock,
  options: { webRoot?: string; passwords?: PasswordHasher } = {},
): AppDeps {
  return {
    ...repositoriesOf(context),
    clock,
    reporting: settings.reporting,
    downloads: { sipriDownloads: settings.sipriDownloads },
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    auth: authDepsFor(context.store, settings.limits, options.passwords ?? argon2Hasher()),
    alerts: appAlertDepsFor(context, settings),
  };
}
