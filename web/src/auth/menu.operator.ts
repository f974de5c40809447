import type { Assignment } from '../api/types';
import type { MenuEntry } from './roles';

/** Menu entries of the operator (park and district) side of the incubation flow. */
export function operatorMenu(as: readonly Assignment[], currentRegionId: string | undefined, add: (e: MenuEntry) => void): void {
  void as;
  void currentRegionId;
  void add;
}
