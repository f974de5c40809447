import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { ApplicationDetailPage } from './ApplicationDetailPage';
import { ApplicationsPage } from './ApplicationsPage';
import { DocumentsPage } from './DocumentsPage';
import { IncomingPromotionsPage } from './IncomingPromotionsPage';
import { IntakeCallsPage } from './IntakeCallsPage';
import { ReportsPage } from './ReportsPage';
import { ResidencyDetailPage } from './ResidencyDetailPage';
import { ResidentsPage } from './ResidentsPage';

/** Routes of the operator pages of the incubation flow, inside the app layout. */
export function operatorRoutes(): ReactElement[] {
  return [
    <Route key="op-intake" path="carriers/:carrierId/intake" element={<IntakeCallsPage />} />,
    <Route key="op-applications" path="carriers/:carrierId/applications" element={<ApplicationsPage />} />,
    <Route key="op-application" path="applications/:applicationId" element={<ApplicationDetailPage />} />,
    <Route key="op-incoming" path="carriers/:carrierId/incoming-promotions" element={<IncomingPromotionsPage />} />,
    <Route key="op-documents" path="carriers/:carrierId/documents" element={<DocumentsPage />} />,
    <Route key="op-residents" path="carriers/:carrierId/residents" element={<ResidentsPage />} />,
    <Route key="op-residency" path="residencies/:residencyId" element={<ResidencyDetailPage />} />,
    <Route key="op-reports" path="carriers/:carrierId/reports" element={<ReportsPage />} />,
  ];
}
