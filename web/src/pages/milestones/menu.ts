import type { Assignment } from '../../api/auth';
import { carriersOf, type MenuEntry } from '../../auth/roles';
import { startupCompanyId } from '../../auth/menu.startup';

/**
 * milestonesMenu adds the milestones entries: a startup member's own
 * milestones, the park staff's board of their first carrier, and the
 * district's counts per carrier of the region in view (regionId: the
 * district region menuFor chose, undefined for park staff and startups).
 */
export function milestonesMenu(as: readonly Assignment[], regionId: string | undefined, add: (e: MenuEntry) => void): void {
  const company = startupCompanyId(as);
  if (company) {
    add({ key: 'm-mine', labelKey: 'm.menu.mine', path: `/company/${encodeURIComponent(company)}/milestones`, icon: 'dashboard', testId: 'menu-my-milestones' });
  }
  const carrier = carriersOf(as)[0];
  if (carrier) {
    add({ key: 'm-board', labelKey: 'm.menu.board', path: `/carriers/${carrier.id}/milestones`, icon: 'dashboard', testId: 'menu-op-milestones' });
  }
  if (regionId) {
    add({ key: 'm-counts', labelKey: 'm.menu.counts', path: `/regions/${regionId}/milestones`, icon: 'dashboard', testId: 'menu-milestone-counts' });
  }
}
