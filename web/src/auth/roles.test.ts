import { describe, expect, it } from 'vitest';
import type { Assignment } from '../api/auth';
import { canManageCarrier, canWriteRegion, carriersOf, defaultRegionId, hasStaffRole, menuFor, staffRegionId, type MenuEntry } from './roles';

// The incubation-flow entries (op-*, startup-*) have tests of their own
// (pages/operator/menu.test.ts and the startup pages'); these cases pin the
// core entries.
const core = (ms: MenuEntry[]) => ms.filter((m) => !m.key.startsWith('op-') && !m.key.startsWith('startup-') && !m.key.startsWith('rollups'));

const region = (role: Assignment['role'], id: string, name = '历下区'): Assignment => ({
  role,
  domain: `region:${id}`,
  domain_kind: 'region',
  domain_id: id,
  name_zh: name,
  name_en: 'Lixia District',
  region_id: id,
});

const carrier = (role: Assignment['role'], id: string, regionId = 'R1'): Assignment => ({
  role,
  domain: `carrier:${id}`,
  domain_kind: 'carrier',
  domain_id: id,
  name_zh: '明湖国际信创产业园',
  name_en: 'Minghu International Xinchuang Industrial Park',
  region_id: regionId,
});

const platform: Assignment = { role: 'platform_admin', domain: '*', domain_kind: 'platform', domain_id: '', name_zh: '', name_en: '', region_id: '' };
const startup: Assignment = { role: 'startup_member', domain: 'company:K1', domain_kind: 'company', domain_id: 'K1', name_zh: '', name_en: '', region_id: 'R1' };

describe('menuFor', () => {
  const cases: { name: string; as: Assignment[]; current?: string; want: [string, string][] }[] = [
    // Without any role the way in is registering one's company.
    { name: 'no roles', as: [], want: [['company', '/company']] },
    { name: 'platform admin without a chosen region', as: [platform], want: [['regions', '/regions']] },
    {
      name: 'platform admin with a chosen region',
      as: [platform],
      current: 'R9',
      want: [
        ['regions', '/regions'],
        ['dashboard', '/regions/R9/dashboard'],
        ['carriers', '/regions/R9/carriers'],
        ['companies', '/regions/R9/companies'],
        ['documents', '/regions/R9/documents'],
      ],
    },
    {
      name: 'district viewer',
      as: [region('district_viewer', 'R1')],
      want: [
        ['dashboard', '/regions/R1/dashboard'],
        ['carriers', '/regions/R1/carriers'],
        ['companies', '/regions/R1/companies'],
        ['documents', '/regions/R1/documents'],
      ],
    },
    {
      name: 'district admin of two regions follows the current one',
      as: [region('district_admin', 'R1'), region('district_admin', 'R2', '槐荫区')],
      current: 'R2',
      want: [
        ['dashboard', '/regions/R2/dashboard'],
        ['carriers', '/regions/R2/carriers'],
        ['companies', '/regions/R2/companies'],
        ['documents', '/regions/R2/documents'],
      ],
    },
    {
      name: 'district admin ignores a region they do not hold',
      as: [region('district_admin', 'R1')],
      current: 'R2',
      want: [
        ['dashboard', '/regions/R1/dashboard'],
        ['carriers', '/regions/R1/carriers'],
        ['companies', '/regions/R1/companies'],
        ['documents', '/regions/R1/documents'],
      ],
    },
    {
      name: 'park admin',
      as: [carrier('park_admin', 'C1')],
      want: [
        ['carriers', '/my/carriers'],
        ['companies', '/regions/R1/companies'],
      ],
    },
    {
      name: 'park operator of two carriers',
      as: [carrier('park_operator', 'C1'), carrier('park_operator', 'C2')],
      want: [
        ['carriers', '/my/carriers'],
        ['companies', '/regions/R1/companies'],
      ],
    },
    {
      name: 'park operator in two regions follows the chosen one',
      as: [carrier('park_operator', 'C1', 'R1'), carrier('park_operator', 'C7', 'R7')],
      current: 'R7',
      want: [
        ['carriers', '/my/carriers'],
        ['companies', '/regions/R7/companies'],
      ],
    },
    { name: 'startup member', as: [startup], want: [['company', '/company']] },
    {
      name: 'district viewer who is also park admin sees the region list once',
      as: [region('district_viewer', 'R1'), carrier('park_admin', 'C1')],
      want: [
        ['dashboard', '/regions/R1/dashboard'],
        ['carriers', '/regions/R1/carriers'],
        ['companies', '/regions/R1/companies'],
        ['documents', '/regions/R1/documents'],
      ],
    },
    {
      name: 'park operator who is also a startup member',
      as: [carrier('park_operator', 'C1'), startup],
      want: [
        ['carriers', '/my/carriers'],
        ['companies', '/regions/R1/companies'],
        ['company', '/company'],
      ],
    },
  ];

  it.each(cases)('$name', ({ as, current, want }) => {
    expect(core(menuFor(as, current)).map((m) => [m.key, m.path])).toEqual(want);
  });

  it('labels park roles "my carriers" and district roles "carriers"', () => {
    expect(menuFor([carrier('park_admin', 'C1')])[0].labelKey).toBe('menu.myCarriers');
    expect(menuFor([region('district_admin', 'R1')])[1].labelKey).toBe('menu.carriers');
  });

  it('labels the region list "companies" and the startup entry "my company"', () => {
    expect(menuFor([region('district_viewer', 'R1')]).find((m) => m.key === 'companies')?.labelKey).toBe('menu.companies');
    expect(menuFor([carrier('park_operator', 'C1')]).find((m) => m.key === 'companies')?.testId).toBe('menu-companies');
    expect(core(menuFor([startup])).map((m) => [m.labelKey, m.testId])).toEqual([['menu.myCompany', 'menu-company']]);
  });

  it('shows staff the region companies but not "my company", unless they also belong to one', () => {
    for (const as of [[platform], [region('district_admin', 'R1')], [carrier('park_admin', 'C1')]]) {
      expect(menuFor(as, 'R1').some((m) => m.key === 'company')).toBe(false);
    }
    expect(menuFor([startup]).some((m) => m.key === 'companies')).toBe(false);
  });

  it('gives district roles the region\'s document register, park staff their carrier\'s queue instead', () => {
    expect(menuFor([region('district_viewer', 'R1')]).find((m) => m.key === 'documents')).toMatchObject({
      labelKey: 'd.menu.register',
      testId: 'menu-documents',
    });
    expect(menuFor([carrier('park_admin', 'C1')]).some((m) => m.key === 'documents')).toBe(false);
    expect(menuFor([carrier('park_admin', 'C1')]).find((m) => m.key === 'op-documents')?.path).toBe('/carriers/C1/documents');
  });

  it('gives every entry a test id', () => {
    const all = menuFor([platform, carrier('park_admin', 'C1'), startup], 'R1');
    expect(all.every((m) => m.testId.startsWith('menu-'))).toBe(true);
  });
});

describe('scopes and permissions', () => {
  it('picks the region whose companies staff browse', () => {
    expect(staffRegionId([platform])).toBeUndefined();
    expect(staffRegionId([platform], 'R9')).toBe('R9');
    expect(staffRegionId([region('district_viewer', 'R1')], 'R2')).toBe('R1');
    expect(staffRegionId([carrier('park_admin', 'C1', 'R3')])).toBe('R3');
    expect(staffRegionId([carrier('park_admin', 'C1', 'R3'), carrier('park_admin', 'C2', 'R4')], 'R4')).toBe('R4');
    expect(staffRegionId([startup], 'R1')).toBeUndefined();
    expect(hasStaffRole([startup])).toBe(false);
    expect(hasStaffRole([carrier('park_operator', 'C1')])).toBe(true);
  });

  it('merges roles held on the same carrier', () => {
    const cs = carriersOf([carrier('park_admin', 'C1'), carrier('park_operator', 'C1'), carrier('park_operator', 'C2')]);
    expect(cs.map((c) => [c.id, c.roles])).toEqual([
      ['C1', ['park_admin', 'park_operator']],
      ['C2', ['park_operator']],
    ]);
  });

  it('picks the default region', () => {
    expect(defaultRegionId([region('district_admin', 'R1')], 'R2')).toBe('R1');
    expect(defaultRegionId([region('district_admin', 'R1'), region('district_admin', 'R2')], 'R2')).toBe('R2');
    expect(defaultRegionId([platform], 'R7')).toBe('R7');
    expect(defaultRegionId([carrier('park_admin', 'C1', 'R3')])).toBe('R3');
    expect(defaultRegionId([])).toBeUndefined();
  });

  it('lets only admins write', () => {
    expect(canWriteRegion([platform], 'R1')).toBe(true);
    expect(canWriteRegion([region('district_admin', 'R1')], 'R1')).toBe(true);
    expect(canWriteRegion([region('district_admin', 'R1')], 'R2')).toBe(false);
    expect(canWriteRegion([region('district_viewer', 'R1')], 'R1')).toBe(false);
    expect(canManageCarrier([carrier('park_admin', 'C1')], 'C1', 'R1')).toBe(true);
    expect(canManageCarrier([carrier('park_operator', 'C1')], 'C1', 'R1')).toBe(false);
    expect(canManageCarrier([carrier('park_admin', 'C1')], 'C2', 'R1')).toBe(false);
    expect(canManageCarrier([region('district_viewer', 'R1')], 'C1', 'R1')).toBe(false);
  });
});
