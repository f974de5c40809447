import { Result, Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { menuFor } from './auth/roles';
import { useSession } from './auth/session';
import { useI18n } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { AcceptInvitationPage } from './pages/AcceptInvitationPage';
import { CarrierDetailPage } from './pages/CarrierDetailPage';
import { CarrierFormPage } from './pages/CarrierFormPage';
import { CarriersPage } from './pages/CarriersPage';
import { CompaniesPage } from './pages/CompaniesPage';
import { CompanyDetailPage } from './pages/CompanyDetailPage';
import { CompanyFormPage } from './pages/CompanyFormPage';
import { LoginPage } from './pages/LoginPage';
import { MyCarriersPage } from './pages/MyCarriersPage';
import { MyCompanyPage } from './pages/MyCompanyPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RegionDocumentsPage } from './pages/RegionDocumentsPage';
import { RegionsPage } from './pages/RegionsPage';
import { operatorRoutes } from './pages/operator/routes';
import { rollupsRoutes } from './pages/rollups/routes';
import { startupRoutes } from './pages/startup/routes';
import { milestonesRoutes } from './pages/milestones/routes';
import { DevMailboxPage } from './pages/notifications/DevMailboxPage';

// The dashboard carries ECharts; loading it on demand keeps the first page light.
const DashboardPage = lazy(() => import('./pages/DashboardPage'));

export function FullPageSpin() {
  return (
    <div className="full-page-center">
      <Spin size="large" />
    </div>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { status, signedOut } = useSession();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'anonymous') {
    if (signedOut) return <Navigate to="/login" replace />;
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  return <>{children}</>;
}

/** Home sends each user to the first page their roles give them. */
function Home() {
  const { me, regionId } = useSession();
  const { t } = useI18n();
  const first = menuFor(me?.assignments ?? [], regionId)[0];
  if (first) return <Navigate to={first.path} replace />;
  return <Result status="info" title={t('home.noRolesTitle')} subTitle={t('home.noRoles')} />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/invitations/:token" element={<AcceptInvitationPage />} />
      <Route path="/invitations/:token/accept" element={<AcceptInvitationPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Home />} />
        <Route path="regions" element={<RegionsPage />} />
        <Route
          path="regions/:regionId/dashboard"
          element={
            <Suspense fallback={<FullPageSpin />}>
              <DashboardPage />
            </Suspense>
          }
        />
        <Route path="regions/:regionId/carriers" element={<CarriersPage />} />
        <Route path="regions/:regionId/carriers/new" element={<CarrierFormPage mode="create" />} />
        <Route path="my/carriers" element={<MyCarriersPage />} />
        <Route path="carriers/:carrierId" element={<CarrierDetailPage />} />
        <Route path="carriers/:carrierId/edit" element={<CarrierFormPage mode="edit" />} />
        <Route path="regions/:regionId/companies" element={<CompaniesPage />} />
        <Route path="regions/:regionId/documents" element={<RegionDocumentsPage />} />
        <Route path="companies/:companyId" element={<CompanyDetailPage mode="region" />} />
        <Route path="company" element={<MyCompanyPage />} />
        <Route path="company/new" element={<CompanyFormPage mode="create" />} />
        <Route path="company/:companyId" element={<CompanyDetailPage mode="mine" />} />
        <Route path="company/:companyId/edit" element={<CompanyFormPage mode="edit" />} />
        {startupRoutes()}
        {operatorRoutes()}
        {milestonesRoutes()}
        {rollupsRoutes()}
        <Route path="dev/mailbox" element={<DevMailboxPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
