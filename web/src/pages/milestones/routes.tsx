import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { BoardPage } from './BoardPage';
import { CountsPage } from './CountsPage';
import { MyMilestonesPage } from './MyMilestonesPage';
import { PlanPage } from './PlanPage';

/** Routes of the milestones pages, inside the app layout. */
export function milestonesRoutes(): ReactElement[] {
  return [
    <Route key="m-mine" path="company/:companyId/milestones" element={<MyMilestonesPage />} />,
    <Route key="m-plan" path="residencies/:residencyId/milestones" element={<PlanPage />} />,
    <Route key="m-board" path="carriers/:carrierId/milestones" element={<BoardPage />} />,
    <Route key="m-counts" path="regions/:regionId/milestones" element={<CountsPage />} />,
  ];
}
