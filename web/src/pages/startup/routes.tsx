import type { ReactElement } from 'react';

/** Routes of the startup pages of the incubation flow, inside the app layout. */
export function startupRoutes(): ReactElement[] {
  return [];
}
