import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../api/auth';
import { menuFor, type MenuEntry } from '../../auth/roles';
import { milestonesMenu } from './menu';

const a = (role: Assignment['role'], domain: string): Assignment => {
  const [kind, id] = domain.split(':');
  return { role, domain, domain_kind: kind, domain_id: id, name_zh: '', name_en: '', region_id: 'R1' };
};
const entries = (as: Assignment[], regionId?: string) => {
  const out: MenuEntry[] = [];
  milestonesMenu(as, regionId, (e) => out.push(e));
  return out.map((e) => [e.labelKey, e.path, e.testId]);
};

describe('milestones menu', () => {
  it('gives a startup member its milestones, park staff their carrier board and the district the counts', () => {
    expect(entries([a('startup_member', 'company:K1')])).toEqual([['m.menu.mine', '/company/K1/milestones', 'menu-my-milestones']]);
    expect(entries([a('park_operator', 'carrier:C7')])).toEqual([['m.menu.board', '/carriers/C7/milestones', 'menu-op-milestones']]);
    expect(entries([a('district_viewer', 'region:R1')], 'R1')).toEqual([['m.menu.counts', '/regions/R1/milestones', 'menu-milestone-counts']]);
  });

  it('is part of the side menu: the district counts only for district roles', () => {
    const keys = (as: Assignment[]) => menuFor(as).map((m) => m.key);
    expect(keys([a('district_viewer', 'region:R1')])).toContain('op-milestone-counts');
    expect(keys([a('park_admin', 'carrier:C1')])).not.toContain('op-milestone-counts');
    expect(keys([a('park_admin', 'carrier:C1')])).toContain('op-milestones');
    expect(keys([a('startup_member', 'company:K1')])).toEqual(expect.arrayContaining(['company', 'startup-milestones']));
    expect(keys([a('startup_member', 'company:K1')])).not.toContain('op-milestones');
  });
});
