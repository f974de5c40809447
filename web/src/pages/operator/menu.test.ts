import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../api/auth';
import { operatorMenu } from '../../auth/menu.operator';
import type { MenuEntry } from '../../auth/roles';

const carrier = (role: Assignment['role'], id: string): Assignment => ({ role, domain: `carrier:${id}`, domain_kind: 'carrier', domain_id: id, name_zh: '', name_en: '', region_id: 'R1' });
const entries = (as: Assignment[]) => {
  const out: MenuEntry[] = [];
  operatorMenu(as, undefined, (e) => out.push(e));
  return out;
};

describe('operator menu', () => {
  it('points park staff at their first carrier', () => {
    expect(entries([carrier('park_operator', 'C7'), carrier('park_admin', 'C8')]).map((e) => [e.key, e.path, e.testId])).toEqual([
      ['op-intake', '/carriers/C7/intake', 'menu-op-intake'],
      ['op-applications', '/carriers/C7/applications', 'menu-op-applications'],
      ['op-incoming', '/carriers/C7/incoming-promotions', 'menu-op-incoming'],
      ['op-documents', '/carriers/C7/documents', 'menu-op-documents'],
      ['op-residents', '/carriers/C7/residents', 'menu-op-residents'],
      ['op-reports', '/carriers/C7/reports', 'menu-op-reports'],
    ]);
  });

  it('adds nothing for district roles or startup members', () => {
    expect(entries([{ role: 'district_admin', domain: 'region:R1', domain_kind: 'region', domain_id: 'R1', name_zh: '', name_en: '', region_id: 'R1' }])).toEqual([]);
    expect(entries([{ role: 'startup_member', domain: 'company:K1', domain_kind: 'company', domain_id: 'K1', name_zh: '', name_en: '', region_id: '' }])).toEqual([]);
  });
});
