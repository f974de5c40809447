import type { Assignment } from '../api/auth';
import type { MenuEntry } from './roles';
import { carriersOf } from './roles';

/**
 * Menu entries of the operator (park) side of the incubation flow: intake and
 * applications, the promotions coming to the carrier (with a badge), the
 * documents awaiting review, residents and metric reports
 * of the user's first carrier.
 * District roles reach a carrier's pages (read-only) from the carrier itself.
 */
export function operatorMenu(as: readonly Assignment[], currentRegionId: string | undefined, add: (e: MenuEntry) => void): void {
  void currentRegionId;
  const carrier = carriersOf(as)[0];
  if (!carrier) return;
  const base = `/carriers/${carrier.id}`;
  add({ key: 'op-intake', labelKey: 'o.menu.intake', path: `${base}/intake`, icon: 'carriers', testId: 'menu-op-intake' });
  add({
    key: 'op-applications',
    labelKey: 'o.menu.applications',
    path: `${base}/applications`,
    icon: 'company',
    testId: 'menu-op-applications',
  });
  add({
    key: 'op-incoming',
    labelKey: 'o.menu.incoming',
    path: `${base}/incoming-promotions`,
    icon: 'company',
    testId: 'menu-op-incoming',
    badge: { kind: 'incoming-promotions', carrierId: carrier.id },
  });
  add({ key: 'op-documents', labelKey: 'd.menu.review', path: `${base}/documents`, icon: 'documents', testId: 'menu-op-documents' });
  add({ key: 'op-residents', labelKey: 'o.menu.residents', path: `${base}/residents`, icon: 'companies', testId: 'menu-op-residents' });
  add({ key: 'op-reports', labelKey: 'o.menu.reports', path: `${base}/reports`, icon: 'dashboard', testId: 'menu-op-reports' });
}
