/** Regions (districts), the tenants of the platform (parks service). */
import { client, data, filters, type Query, type Schemas } from './client';

export type Region = Schemas['parks_RegionDTO'];
export type RegionInput = Schemas['parks_regionInput'];

export const listRegions = (query?: Query) => data(client.GET('/api/v1/regions', { params: { query: filters(query) } }));
export const getRegion = (id: string) => data(client.GET('/api/v1/regions/{id}', { params: { path: { id } } }));
export const createRegion = (body: RegionInput) => data(client.POST('/api/v1/regions', { body }));
