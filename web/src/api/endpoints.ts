import { api, rememberCsrfToken, type Query } from './client';
import type {
  Carrier,
  CarrierInput,
  Company,
  CompanyInput,
  CompanyMember,
  CompanyRegistration,
  CompanyRole,
  Invitation,
  LoginResponse,
  Me,
  Member,
  MyCompany,
  Page,
  Region,
  User,
} from './types';

/** toPage accepts a page or a bare array, so a list endpoint's shape never breaks a table. */
export function toPage<T>(v: Page<T> | T[] | undefined | null): Page<T> {
  if (Array.isArray(v)) return { items: v, total: v.length, page: 1, page_size: v.length };
  if (!v || !Array.isArray(v.items)) return { items: [], total: 0, page: 1, page_size: 0 };
  return { ...v, total: typeof v.total === 'number' ? v.total : v.items.length };
}

const seg = encodeURIComponent;

export async function login(email: string, password: string): Promise<LoginResponse> {
  const res = await api<LoginResponse>('/auth/login', {
    method: 'POST',
    body: { email, password },
    skipAuthRedirect: true,
  });
  rememberCsrfToken(res?.csrf_token);
  return res;
}

export async function logout(): Promise<void> {
  try {
    await api<void>('/auth/logout', { method: 'POST', skipAuthRedirect: true });
  } finally {
    rememberCsrfToken(undefined);
  }
}

export const getMe = () => api<Me>('/auth/me', { skipAuthRedirect: true });

export const listRegions = async (query?: Query) =>
  toPage(await api<Page<Region> | Region[]>('/regions', { query }));
export const getRegion = (id: string) => api<Region>(`/regions/${seg(id)}`);
export const createRegion = (body: Pick<Region, 'code' | 'name_zh' | 'name_en'>) =>
  api<Region>('/regions', { method: 'POST', body });

export interface CarrierQuery extends Query {
  q?: string;
  kind?: string;
  status?: string;
  page?: number;
  page_size?: number;
  sort?: string;
}

export const listCarriers = async (regionId: string, query: CarrierQuery, signal?: AbortSignal) =>
  toPage(await api<Page<Carrier> | Carrier[]>(`/regions/${seg(regionId)}/carriers`, { query, signal }));
export const createCarrier = (regionId: string, body: CarrierInput) =>
  api<Carrier>(`/regions/${seg(regionId)}/carriers`, { method: 'POST', body });
export const getCarrier = (id: string, signal?: AbortSignal) =>
  api<Carrier>(`/carriers/${seg(id)}`, { signal });
export const updateCarrier = (id: string, body: Partial<CarrierInput>) =>
  api<Carrier>(`/carriers/${seg(id)}`, { method: 'PATCH', body });

export const listCarrierMembers = async (id: string, query?: Query) =>
  toPage(await api<Page<Member> | Member[]>(`/carriers/${seg(id)}/members`, { query }));
export const grantCarrierRole = (id: string, email: string, role: string) =>
  api<unknown>(`/carriers/${seg(id)}/members`, { method: 'POST', body: { email, role } });
export const revokeCarrierRole = (id: string, userId: string, role: string) =>
  api<void>(`/carriers/${seg(id)}/members/${seg(userId)}/roles/${seg(role)}`, { method: 'DELETE' });

export const listCarrierInvitations = async (id: string, query?: Query) =>
  toPage(await api<Page<Invitation> | Invitation[]>(`/carriers/${seg(id)}/invitations`, { query }));
export const inviteToCarrier = (id: string, email: string, role: string) =>
  api<Invitation>(`/carriers/${seg(id)}/invitations`, { method: 'POST', body: { email, role } });

export const acceptInvitation = (token: string, displayName: string, password: string) =>
  api<User>(`/invitations/${seg(token)}/accept`, {
    method: 'POST',
    body: { display_name: displayName, password },
    skipAuthRedirect: true,
  });

// Companies (incubatees service).

export const listMyCompanies = async (signal?: AbortSignal) =>
  toPage(await api<Page<MyCompany> | MyCompany[]>('/me/companies', { signal }));

export interface CompanyQuery extends Query {
  q?: string;
  /** A GB/T 4754-2017 code or its prefix (a section letter, "I65"). */
  industry?: string;
  page?: number;
  page_size?: number;
  /** name | created_at | industry, "-" in front for descending. */
  sort?: string;
}

export const listRegionCompanies = async (regionId: string, query: CompanyQuery, signal?: AbortSignal) =>
  toPage(await api<Page<Company> | Company[]>(`/regions/${seg(regionId)}/companies`, { query, signal }));
export const registerCompany = (regionId: string, body: CompanyRegistration) =>
  api<Company>(`/regions/${seg(regionId)}/companies`, { method: 'POST', body });
export const getCompany = (id: string, signal?: AbortSignal) => api<Company>(`/companies/${seg(id)}`, { signal });
/** updateCompany replaces the editable details (PUT: send every field). */
export const updateCompany = (id: string, body: CompanyInput) =>
  api<Company>(`/companies/${seg(id)}`, { method: 'PUT', body });
/** linkCompanyUSCC gives a team its registered code; the company keeps its id. */
export const linkCompanyUSCC = (id: string, uscc: string) =>
  api<Company>(`/companies/${seg(id)}/uscc`, { method: 'POST', body: { uscc } });

export const listCompanyMembers = async (id: string, signal?: AbortSignal) =>
  toPage(await api<Page<CompanyMember> | CompanyMember[]>(`/companies/${seg(id)}/members`, { signal }));
export const inviteCompanyMember = (id: string, email: string, role: CompanyRole) =>
  api<CompanyMember>(`/companies/${seg(id)}/members`, { method: 'POST', body: { email, role } });
export const acceptCompanyMembership = (id: string) =>
  api<void>(`/companies/${seg(id)}/members/accept`, { method: 'POST' });
/** removeCompanyMember removes someone (a company admin) or, with one's own id, leaves. */
export const removeCompanyMember = (id: string, userId: string) =>
  api<void>(`/companies/${seg(id)}/members/${seg(userId)}`, { method: 'DELETE' });
