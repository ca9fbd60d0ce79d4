import type { Viewer } from '../../model/viewer.js';
import type { Session } from '../../store/account-repository.js';

// Every request carries its Viewer (set by the viewer middleware, anonymous by default): routes read
// `c.get('viewer')` and hand it to the repositories, which decide visibility.
declare module 'hono' {
  interface ContextVariableMap {
    viewer: Viewer;
    /** The session the request was authenticated by (cookie), if any: its CSRF token guards writes. */
    session: Session | undefined;
  }
}

export {};
