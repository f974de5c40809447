/** Companies (startups) of a region and their members (incubatees service). */
import { client, data, filters, type Query, type Schemas } from './client';

/** Company is a startup in a region: keyed by its USCC, or, for a team, by a provisional id. */
export type Company = Schemas['incubatees_CompanyDTO'];
/** CompanyRegistration is the create body; it may carry the USCC. */
export type CompanyRegistration = Schemas['incubatees_CompanyInput'];
/** CompanyInput is the update body (PUT: every editable field). */
export type CompanyInput = Omit<Schemas['incubatees_CompanyReplaceInput'], 'uscc'>;
export type MyCompany = Schemas['incubatees_MyCompanyDTO'];
export type CompanyMember = Schemas['incubatees_MemberDTO'];
export type CompanyRole = CompanyMember['role'];
export type MembershipStatus = CompanyMember['status'];

export const COMPANY_ROLES: readonly CompanyRole[] = ['company_admin', 'member'];

/** FounderType is how the Torch survey classifies a founder. */
export type FounderType = 'student' | 'researcher' | 'returnee' | 'ex_large_firm' | 'serial' | 'other';
export const FOUNDER_TYPES: readonly FounderType[] = ['student', 'researcher', 'returnee', 'ex_large_firm', 'serial', 'other'];
export type FounderGender = 'female' | 'male' | 'unspecified';
export const FOUNDER_GENDERS: readonly FounderGender[] = ['female', 'male', 'unspecified'];

export interface CompanyQuery extends Query {
  q?: string;
  /** A GB/T 4754-2017 code or its prefix (a section letter, "I65"). */
  industry?: string;
  page?: number;
  page_size?: number;
  /** name | created_at | industry, "-" in front for descending. */
  sort?: string;
}

export const listMyCompanies = (signal?: AbortSignal) => data(client.GET('/api/v1/me/companies', { signal }));
export const listRegionCompanies = (regionId: string, query: CompanyQuery, signal?: AbortSignal) =>
  data(client.GET('/api/v1/regions/{id}/companies', { params: { path: { id: regionId }, query: filters(query) }, signal }));
export const registerCompany = (regionId: string, body: CompanyRegistration) =>
  data(client.POST('/api/v1/regions/{id}/companies', { params: { path: { id: regionId } }, body }));
export const getCompany = (id: string, signal?: AbortSignal) => data(client.GET('/api/v1/companies/{id}', { params: { path: { id } }, signal }));
/** updateCompany replaces the editable details (PUT: send every field). */
export const updateCompany = (id: string, body: CompanyInput) =>
  data(client.PUT('/api/v1/companies/{id}', { params: { path: { id } }, body }));
/** linkCompanyUSCC gives a team its registered code; the company keeps its id. */
export const linkCompanyUSCC = (id: string, uscc: string) =>
  data(client.POST('/api/v1/companies/{id}/uscc', { params: { path: { id } }, body: { uscc } }));

export const listCompanyMembers = (id: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/companies/{id}/members', { params: { path: { id } }, signal }));
export const inviteCompanyMember = (id: string, email: string, role: CompanyRole) =>
  data(client.POST('/api/v1/companies/{id}/members', { params: { path: { id } }, body: { email, role } }));
export const acceptCompanyMembership = (id: string) =>
  data(client.POST('/api/v1/companies/{id}/members/accept', { params: { path: { id } } }));
/** removeCompanyMember removes someone (a company admin) or, with one's own id, leaves. */
export const removeCompanyMember = (id: string, userId: string) =>
  data(client.DELETE('/api/v1/companies/{id}/members/{user}', { params: { path: { id, user: userId } } }));
