import type { Assignment } from '../api/types';
import type { MenuEntry } from './roles';

/** Menu entries of the startup side of the incubation flow. */
export function startupMenu(as: readonly Assignment[], add: (e: MenuEntry) => void): void {
  void as;
  void add;
}
