import { certificateRoutes } from './certificates/routes.js';
import { hsmRoutes } from './hsm.js';
import { keyOperationRoutes } from './key-ops.js';
import { keyRoutes } from './keys.js';
import { rotationRoutes } from './rotation.js';
import type { Route } from './router.js';
import { secretRoutes } from './secrets.js';
import type { Store } from './store.js';

/**
 * Every area's route table, each built on the vault's store. To add an area, write `xxxRoutes(store): Route[]`
 * and list it here: that is the only change the server needs.
 */
export const areas: ReadonlyArray<(store: Store) => Route[]> = [secretRoutes, keyRoutes, keyOperationRoutes, rotationRoutes, hsmRoutes, certificateRoutes];
