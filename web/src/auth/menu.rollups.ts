import type { Assignment } from '../api/auth';
import type { MenuEntry } from './roles';
import { carriersOf, isPlatformAdmin, regionsOf } from './roles';

/**
 * Menu entries of the rollups overviews: the district's (district roles, and a
 * platform admin in a chosen region) and a carrier's own (park staff, their
 * first carrier). Startup members get neither.
 */
export function rollupsMenu(as: readonly Assignment[], currentRegionId: string | undefined, add: (e: MenuEntry) => void): void {
  const regions = regionsOf(as);
  let regionId: string | undefined;
  if (isPlatformAdmin(as)) regionId = currentRegionId;
  else if (regions.length > 0) regionId = regions.some((r) => r.id === currentRegionId) ? currentRegionId : regions[0].id;
  if (regionId) {
    add({ key: 'rollups', labelKey: 'r.menu.district', path: `/regions/${regionId}/overview`, icon: 'dashboard', testId: 'menu-rollups' });
    return;
  }
  const carrier = carriersOf(as)[0];
  if (carrier) {
    add({ key: 'rollups-park', labelKey: 'r.menu.park', path: `/carriers/${carrier.id}/overview`, icon: 'dashboard', testId: 'menu-rollups-park' });
  }
}
