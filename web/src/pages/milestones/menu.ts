import type { Assignment } from '../../api/auth';
import { carriersOf, type MenuEntry } from '../../auth/roles';
import { startupCompanyId } from '../../auth/menu.startup';

/**
 * milestonesMenu adds the milestones entries: a startup member's own
 * milestones, the park staff's board of their first carrier, and the
 * district's counts per carrier of the region in view (regionId: the
 * district region menuFor chose, undefined for park staff and startups).
 * Keys carry the flow pages' prefixes (startup-, op-) like the entries of
 * menu.startup.ts and menu.operator.ts.
 */
export function milestonesMenu(as: readonly Assignment[], regionId: string | undefined, add: (e: MenuEntry) => void): void {
  const company = startupCompanyId(as);
  if (company) {
    add({ key: 'startup-milestones', labelKey: 'm.menu.mine', path: `/company/${encodeURIComponent(company)}/milestones`, icon: 'dashboard', testId: 'menu-my-milestones' });
  }
  const carrier = carriersOf(as)[0];
  if (carrier) {
    add({ key: 'op-milestones', labelKey: 'm.menu.board', path: `/carriers/${carrier.id}/milestones`, icon: 'dashboard', testId: 'menu-op-milestones' });
  }
  if (regionId) {
    add({ key: 'op-milestone-counts', labelKey: 'm.menu.counts', path: `/regions/${regionId}/milestones`, icon: 'dashboard', testId: 'menu-milestone-counts' });
  }
}
