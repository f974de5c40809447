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

/** FounderType is how the Torch survey classifies a founder. */
export type FounderType = 'student' | 'researcher' | 'returnee' | 'ex_large_firm' | 'serial' | 'other';
export const FOUNDER_TYPES: readonly FounderType[] = ['student', 'researcher', 'returnee', 'ex_large_firm', 'serial', 'other'];

export type FounderGender = 'female' | 'male' | 'unspecified';
export const FOUNDER_GENDERS: readonly FounderGender[] = ['female', 'male', 'unspecified'];

/** Company is a startup in a region: keyed by its USCC, or, for a team, by a provisional id. */
export interface Company {
  id: string;
  region_id: string;
  /** 统一社会信用代码; empty for a team that has not registered yet. */
  uscc: string;
  provisional_id: string;
  /** key is how people refer to the company: the USCC, else the provisional id. */
  key: string;
  name_zh: string;
  name_en: string;
  /** GB/T 4754-2017, e.g. "I65" or "I6511". */
  industry_code: string;
  tech_field: string;
  /** YYYY-MM-DD, or empty. */
  founded_on: string;
  founder_type: FounderType | string;
  founder_gender: FounderGender | string;
  contact_name: string;
  contact_phone: string;
  contact_email: string;
  created_at: string;
  updated_at: string;
}

/** CompanyInput is the update body; registering adds an optional uscc. */
export interface CompanyInput {
  name_zh: string;
  name_en?: string;
  industry_code: string;
  tech_field?: string;
  founded_on?: string;
  founder_type?: FounderType | string;
  founder_gender?: FounderGender | string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
}

export interface CompanyRegistration extends CompanyInput {
  uscc?: string;
}

export type CompanyRole = 'company_admin' | 'member';
export const COMPANY_ROLES: readonly CompanyRole[] = ['company_admin', 'member'];

export type MembershipStatus = 'active' | 'invited' | 'left';

/** MyCompany is one of the signed-in user's company memberships. */
export interface MyCompany {
  company: Company;
  role: CompanyRole | string;
  status: MembershipStatus | string;
}

export interface CompanyMember {
  user_id: string;
  email: string;
  display_name: string;
  role: CompanyRole | string;
  status: MembershipStatus | string;
  updated_at: string;
}
