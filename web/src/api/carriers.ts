/** Carriers: the maker spaces, incubators, accelerators and parks of a region (parks service). */
import { client, data, filters, type Query, type Schemas } from './client';

export type Carrier = Schemas['parks_CarrierDTO'];
export type CarrierKind = Carrier['kind'];
export type CarrierStatus = Carrier['status'];
/** CarrierInput is the create/update body; chain_order follows from kind on the server. */
export type CarrierInput = Omit<Carrier, 'id' | 'region_id' | 'chain_order' | 'created_at' | 'updated_at'>;

export const CARRIER_KINDS: readonly CarrierKind[] = ['maker_space', 'incubator', 'accelerator', 'science_park', 'concept_center', 'pilot_base'];

/** chainOrder is the position of a kind on the incubation chain (0: beside the chain). */
export const CHAIN_ORDER: Record<CarrierKind, number> = {
  maker_space: 1,
  incubator: 2,
  accelerator: 3,
  science_park: 4,
  concept_center: 0,
  pilot_base: 0,
};

export const CARRIER_STATUSES: readonly CarrierStatus[] = ['active', 'suspended', 'closed'];

export interface CarrierQuery extends Query {
  q?: string;
  kind?: string;
  status?: string;
  page?: number;
  page_size?: number;
  sort?: string;
}

export const listCarriers = (regionId: string, query: CarrierQuery, signal?: AbortSignal) =>
  data(client.GET('/api/v1/regions/{id}/carriers', { params: { path: { id: regionId }, query: filters(query) }, signal }));
export const createCarrier = (regionId: string, body: CarrierInput) =>
  data(client.POST('/api/v1/regions/{id}/carriers', { params: { path: { id: regionId } }, body }));
export const getCarrier = (id: string, signal?: AbortSignal) => data(client.GET('/api/v1/carriers/{id}', { params: { path: { id } }, signal }));
export const updateCarrier = (id: string, body: Partial<CarrierInput>) =>
  data(client.PATCH('/api/v1/carriers/{id}', { params: { path: { id } }, body }));
