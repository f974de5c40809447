import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { ApplicationsPage } from './ApplicationsPage';
import { ApplicationWizardPage } from './ApplicationWizardPage';
import { CallsPage } from './CallsPage';
import { ChainPage } from './ChainPage';
import { DocumentsPage } from './DocumentsPage';
import { LadderPage } from './LadderPage';
import { ReportFormPage } from './ReportFormPage';
import { ReportsPage } from './ReportsPage';

/** Routes of the startup pages of the incubation flow, inside the app layout. */
export function startupRoutes(): ReactElement[] {
  return [
    <Route key="s-calls" path="company/:companyId/calls" element={<CallsPage />} />,
    <Route key="s-apply" path="company/:companyId/calls/:callId/apply" element={<ApplicationWizardPage mode="new" />} />,
    <Route key="s-apps" path="company/:companyId/applications" element={<ApplicationsPage />} />,
    <Route key="s-app" path="company/:companyId/applications/:applicationId" element={<ApplicationWizardPage mode="existing" />} />,
    <Route key="s-reports" path="company/:companyId/reports" element={<ReportsPage />} />,
    <Route key="s-report" path="company/:companyId/reports/:period" element={<ReportFormPage />} />,
    <Route key="s-ladder" path="company/:companyId/ladder" element={<LadderPage />} />,
    <Route key="s-chain" path="company/:companyId/chain" element={<ChainPage />} />,
    <Route key="s-documents" path="company/:companyId/documents" element={<DocumentsPage />} />,
  ];
}
