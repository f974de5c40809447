/** Carrier staff: members, their roles and invitations (parks service). */
import { client, data, filters, type Query, type Schemas } from './client';

export type Member = Schemas['parks_MemberDTO'];
export type Invitation = Schemas['parks_InvitationDTO'];
export type StaffRole = Invitation['role'];

export const CARRIER_ROLES = ['park_admin', 'park_operator'] as const satisfies readonly StaffRole[];
export const REGION_ROLES = ['district_admin', 'district_viewer'] as const satisfies readonly StaffRole[];

export const listCarrierMembers = (id: string, query?: Query) =>
  data(client.GET('/api/v1/carriers/{id}/members', { params: { path: { id }, query: filters(query) } }));
export const grantCarrierRole = (id: string, email: string, role: string) =>
  data(client.POST('/api/v1/carriers/{id}/members', { params: { path: { id } }, body: { email, role } }));
export const revokeCarrierRole = (id: string, userId: string, role: string) =>
  data(client.DELETE('/api/v1/carriers/{id}/members/{user}/roles/{role}', { params: { path: { id, user: userId, role } } }));

export const listCarrierInvitations = (id: string, query?: Query) =>
  data(client.GET('/api/v1/carriers/{id}/invitations', { params: { path: { id }, query: filters(query) } }));
export const inviteToCarrier = (id: string, email: string, role: string) =>
  data(client.POST('/api/v1/carriers/{id}/invitations', { params: { path: { id } }, body: { email, role } }));

export const acceptInvitation = (token: string, displayName: string, password: string) =>
  data(client.POST('/api/v1/invitations/{token}/accept', { params: { path: { token } }, body: { display_name: displayName, password } }));
