import type { ReactElement } from 'react';

/** Routes of the operator pages of the incubation flow, inside the app layout. */
export function operatorRoutes(): ReactElement[] {
  return [];
}
