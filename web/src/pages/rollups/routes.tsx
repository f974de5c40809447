import { lazy, Suspense, type ReactElement, type ReactNode } from 'react';
import { Route } from 'react-router';
import { Spin } from 'antd';

// The overview carries ECharts; it loads on demand so the other pages stay light.
const DistrictOverviewPage = lazy(() => import('./DistrictOverviewPage'));
const ParkOverviewPage = lazy(() => import('./ParkOverviewPage'));

const wait = (page: ReactNode) => <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>{page}</Suspense>;

/** Routes of the rollups overviews, inside the app layout. */
export function rollupsRoutes(): ReactElement[] {
  return [
    <Route key="rollups-region" path="regions/:regionId/overview" element={wait(<DistrictOverviewPage />)} />,
    <Route key="rollups-carrier" path="carriers/:carrierId/overview" element={wait(<ParkOverviewPage />)} />,
  ];
}
