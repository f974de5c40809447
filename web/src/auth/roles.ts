import type { Assignment } from '../api/auth';
import type { MessageKey } from '../i18n';
import { operatorMenu } from './menu.operator';
import { rollupsMenu } from './menu.rollups';
import { startupMenu } from './menu.startup';
import { milestonesMenu } from '../pages/milestones/menu';

/** MenuEntry is one side-menu item; the label is an i18n key so the menu re-renders per language. */
export interface MenuEntry {
  key: string;
  labelKey: MessageKey;
  path: string;
  icon: 'regions' | 'dashboard' | 'carriers' | 'companies' | 'company' | 'documents';
  testId: string;
  /** A count shown next to the label (the carrier's incoming promotions). */
  badge?: { kind: 'incoming-promotions'; carrierId: string };
}

export const isPlatformAdmin = (as: readonly Assignment[]) => as.some((a) => a.role === 'platform_admin');

const DISTRICT_ROLES = new Set(['district_admin', 'district_viewer']);
const PARK_ROLES = new Set(['park_admin', 'park_operator']);

export interface ScopeOption {
  kind: 'region' | 'carrier';
  id: string;
  name_zh: string;
  name_en: string;
  regionId?: string;
  roles: string[];
}

/** regionsOf lists the regions where the user holds a district role, once each. */
export function regionsOf(as: readonly Assignment[]): ScopeOption[] {
  return collect(as.filter((a) => DISTRICT_ROLES.has(a.role)), 'region');
}

/** carriersOf lists the carriers where the user holds a park role, once each. */
export function carriersOf(as: readonly Assignment[]): ScopeOption[] {
  return collect(as.filter((a) => PARK_ROLES.has(a.role)), 'carrier');
}

function collect(as: readonly Assignment[], kind: ScopeOption['kind']): ScopeOption[] {
  const byId = new Map<string, ScopeOption>();
  for (const a of as) {
    const id = a.domain_id || a.domain.replace(/^[a-z]+:/, '');
    const existing = byId.get(id);
    if (existing) {
      if (!existing.roles.includes(a.role)) existing.roles.push(a.role);
      continue;
    }
    byId.set(id, {
      kind,
      id,
      name_zh: a.name_zh ?? '',
      name_en: a.name_en ?? '',
      regionId: kind === 'region' ? id : a.region_id,
      roles: [a.role],
    });
  }
  return [...byId.values()];
}

/**
 * defaultRegionId picks the region the console opens in: the remembered one when
 * the user may still see it, else the first district region, else the region of
 * the first carrier. A platform admin may see every region, so any remembered id counts.
 */
export function defaultRegionId(as: readonly Assignment[], remembered?: string): string | undefined {
  const regions = regionsOf(as);
  if (remembered && (isPlatformAdmin(as) || regions.some((r) => r.id === remembered))) return remembered;
  if (regions.length > 0) return regions[0].id;
  return carriersOf(as).find((c) => c.regionId)?.regionId;
}

/**
 * staffRegionId is the region whose companies a staff member browses: for a
 * platform admin the chosen one, for district roles the chosen one when they
 * hold it (else their first), for park staff the region of their carriers
 * (the chosen one when a carrier lies in it). Startup members have none.
 */
export function staffRegionId(as: readonly Assignment[], currentRegionId?: string): string | undefined {
  if (isPlatformAdmin(as)) return currentRegionId;
  const regions = regionsOf(as);
  if (regions.length > 0) return regions.some((r) => r.id === currentRegionId) ? currentRegionId : regions[0].id;
  const parkRegions = carriersOf(as)
    .map((c) => c.regionId)
    .filter((r): r is string => !!r);
  if (parkRegions.length === 0) return undefined;
  return currentRegionId && parkRegions.includes(currentRegionId) ? currentRegionId : parkRegions[0];
}

/** hasStaffRole: platform, district or park roles (anything but startup membership). */
export function hasStaffRole(as: readonly Assignment[]): boolean {
  return isPlatformAdmin(as) || regionsOf(as).length > 0 || carriersOf(as).length > 0;
}

/**
 * menuFor derives the side menu from role assignments: a platform admin manages
 * regions (and the region currently chosen), district roles see the overview and
 * carriers of their region, park roles their own carriers; district and park
 * roles also see the region's companies, and district roles (and a platform
 * admin in a chosen region) its document register. Startup members see their company, and
 * so does someone without any role: registering a company is how a founder starts.
 */
export function menuFor(as: readonly Assignment[], currentRegionId?: string): MenuEntry[] {
  const menu: MenuEntry[] = [];
  const add = (e: MenuEntry) => {
    if (!menu.some((m) => m.key === e.key)) menu.push(e);
  };
  const platform = isPlatformAdmin(as);
  const regions = regionsOf(as);

  if (platform) {
    add({ key: 'regions', labelKey: 'menu.regions', path: '/regions', icon: 'regions', testId: 'menu-regions' });
  }
  let regionId: string | undefined;
  if (platform) regionId = currentRegionId;
  else if (regions.length > 0) {
    regionId = regions.some((r) => r.id === currentRegionId) ? currentRegionId : regions[0].id;
  }
  if (regionId) {
    add({
      key: 'dashboard',
      labelKey: 'menu.dashboard',
      path: `/regions/${regionId}/dashboard`,
      icon: 'dashboard',
      testId: 'menu-dashboard',
    });
    add({
      key: 'carriers',
      labelKey: 'menu.carriers',
      path: `/regions/${regionId}/carriers`,
      icon: 'carriers',
      testId: 'menu-carriers',
    });
  }
  if (carriersOf(as).length > 0) {
    // Someone with a district role already reaches every carrier through the region list.
    add({ key: 'carriers', labelKey: 'menu.myCarriers', path: '/my/carriers', icon: 'carriers', testId: 'menu-carriers' });
  }
  const companiesRegion = staffRegionId(as, currentRegionId);
  if (companiesRegion) {
    add({
      key: 'companies',
      labelKey: 'menu.companies',
      path: `/regions/${companiesRegion}/companies`,
      icon: 'companies',
      testId: 'menu-companies',
    });
  }
  if (regionId) {
    add({
      key: 'documents',
      labelKey: 'd.menu.register',
      path: `/regions/${regionId}/documents`,
      icon: 'documents',
      testId: 'menu-documents',
    });
  }
  if (as.some((a) => a.role === 'startup_member') || !hasStaffRole(as)) {
    add({ key: 'company', labelKey: 'menu.myCompany', path: '/company', icon: 'company', testId: 'menu-company' });
  }
  // The incubation flow's pages add their entries from their own files.
  operatorMenu(as, currentRegionId, add);
  startupMenu(as, add);
  milestonesMenu(as, regionId, add);
  rollupsMenu(as, currentRegionId, add);
  return menu;
}

/** canWriteRegion: who may create carriers in a region. */
export function canWriteRegion(as: readonly Assignment[], regionId: string | undefined): boolean {
  if (isPlatformAdmin(as)) return true;
  return !!regionId && as.some((a) => a.role === 'district_admin' && (a.domain_id === regionId || a.domain === `region:${regionId}`));
}

/** canManageCarrier: who may edit a carrier and grant its roles (the server decides in the end). */
export function canManageCarrier(as: readonly Assignment[], carrierId: string, regionId?: string): boolean {
  if (canWriteRegion(as, regionId)) return true;
  return as.some((a) => a.role === 'park_admin' && (a.domain_id === carrierId || a.domain === `carrier:${carrierId}`));
}
