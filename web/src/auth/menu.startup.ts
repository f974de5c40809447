import type { Assignment } from '../api/auth';
import type { MenuEntry } from './roles';

/** startupCompanyId is the company of the user's first startup membership (pages switch between several). */
export function startupCompanyId(as: readonly Assignment[]): string | undefined {
  const a = as.find((x) => x.role === 'startup_member' && (x.domain_id || x.domain.startsWith('company:')));
  return a ? a.domain_id || a.domain.replace(/^company:/, '') : undefined;
}

/**
 * Menu entries of the startup side of the incubation flow: intake calls and
 * applications, metric reports, the cultivation ladder and the chain history
 * of the member's company.
 */
export function startupMenu(as: readonly Assignment[], add: (e: MenuEntry) => void): void {
  const id = startupCompanyId(as);
  if (!id) return;
  const base = `/company/${encodeURIComponent(id)}`;
  add({ key: 'startup-calls', labelKey: 's.menu.calls', path: `${base}/calls`, icon: 'companies', testId: 'menu-startup-calls' });
  add({
    key: 'startup-applications',
    labelKey: 's.menu.applications',
    path: `${base}/applications`,
    icon: 'company',
    testId: 'menu-startup-applications',
  });
  add({ key: 'startup-reports', labelKey: 's.menu.reports', path: `${base}/reports`, icon: 'dashboard', testId: 'menu-startup-reports' });
  add({ key: 'startup-ladder', labelKey: 's.menu.ladder', path: `${base}/ladder`, icon: 'regions', testId: 'menu-startup-ladder' });
  add({ key: 'startup-chain', labelKey: 's.menu.chain', path: `${base}/chain`, icon: 'carriers', testId: 'menu-startup-chain' });
}
