export type CarrierKind =
  | 'maker_space'
  | 'incubator'
  | 'accelerator'
  | 'science_park'
  | 'concept_center'
  | 'pilot_base';

export const CARRIER_KINDS: readonly CarrierKind[] = [
  'maker_space',
  'incubator',
  'accelerator',
  'science_park',
  'concept_center',
  'pilot_base',
];

/** chainOrder is the position of a kind on the incubation chain (0: beside the chain). */
export const CHAIN_ORDER: Record<CarrierKind, number> = {
  maker_space: 1,
  incubator: 2,
  accelerator: 3,
  science_park: 4,
  concept_center: 0,
  pilot_base: 0,
};

export type CarrierStatus = 'active' | 'suspended' | 'closed';
export const CARRIER_STATUSES: readonly CarrierStatus[] = ['active', 'suspended', 'closed'];

export type Role =
  | 'platform_admin'
  | 'district_admin'
  | 'district_viewer'
  | 'park_admin'
  | 'park_operator'
  | 'startup_member';

export const CARRIER_ROLES = ['park_admin', 'park_operator'] as const;
export const REGION_ROLES = ['district_admin', 'district_viewer'] as const;

export interface User {
  id: string;
  email: string;
  display_name: string;
}

export interface Assignment {
  role: Role | string;
  domain: string;
  domain_kind: string;
  domain_id: string;
  name_zh?: string;
  name_en?: string;
  region_id?: string;
}

export interface Me {
  user: User;
  assignments: Assignment[];
}

export interface LoginResponse {
  user: User;
  csrf_token?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export interface Region {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  created_at?: string;
}

export interface Carrier {
  id: string;
  region_id: string;
  kind: CarrierKind;
  chain_order: number;
  name_zh: string;
  name_en: string;
  address: string;
  area_m2: number;
  focus_industries: string[];
  capacity: number;
  status: CarrierStatus;
  created_at: string;
  updated_at: string;
}

/** CarrierInput is the create/update body; chain_order follows from kind on the server. */
export type CarrierInput = Omit<Carrier, 'id' | 'region_id' | 'chain_order' | 'created_at' | 'updated_at'>;

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
  roles: string[];
}

export interface Invitation {
  id: string;
  email: string;
  role: string;
  expires_at: string;
  accept_url?: string;
  accepted_at?: string | null;
  created_at?: string;
}
