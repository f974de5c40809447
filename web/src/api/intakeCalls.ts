/** Intake calls: a carrier's calls for applications, open and closed (incubatees service). */
import { client, data, filters, type Query, type Schemas } from './client';

export type IntakeCall = Schemas['incubatees_IntakeCallDTO'];
/** IntakeCallInput is the create body (every field) and the PATCH body (fields present change). */
export type IntakeCallInput = Schemas['incubatees_IntakeCallInput'];
export type Question = Schemas['incubatees_Question'];

export type QuestionType = 'text' | 'number' | 'money' | 'date' | 'choice' | 'file';
export const QUESTION_TYPES: readonly QuestionType[] = ['text', 'number', 'money', 'date', 'choice', 'file'];

/** Money is whole 元 or 千元 (Torch reports in 千元); the unit is always explicit. */
export type MoneyUnit = 'yuan' | 'thousand_yuan';
/** The units in the order an operator's question offers them. */
export const QUESTION_MONEY_UNITS: readonly MoneyUnit[] = ['yuan', 'thousand_yuan'];

/** The document kinds a call may require (domain.MaterialTypes). */
export const MATERIAL_TYPES = ['business_licence', 'business_plan', 'ip_certificate', 'financial_statements', 'rd_ledger', 'other'] as const;

/** The review rubric the server uses when a call names none. */
export const DEFAULT_CRITERIA = ['team', 'technology', 'market', 'fit'];

export type CallStatus = 'draft' | 'open' | 'closed';
export const CALL_STATUSES: readonly CallStatus[] = ['draft', 'open', 'closed'];

export const listIntakeCalls = (carrierId: string, query?: Query, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/intake-calls', { params: { path: { id: carrierId }, query: filters(query) }, signal }));
/** listOpenIntakeCalls is what a region's startups may apply to. */
export const listOpenIntakeCalls = (regionId: string, query?: Query, signal?: AbortSignal) =>
  data(client.GET('/api/v1/regions/{id}/intake-calls', { params: { path: { id: regionId }, query: filters({ page_size: 100, ...query }) }, signal }));
export const getIntakeCall = (id: string, signal?: AbortSignal) => data(client.GET('/api/v1/intake-calls/{id}', { params: { path: { id } }, signal }));
export const createIntakeCall = (carrierId: string, body: IntakeCallInput) =>
  data(client.POST('/api/v1/carriers/{id}/intake-calls', { params: { path: { id: carrierId } }, body }));
export const updateIntakeCall = (id: string, body: IntakeCallInput) =>
  data(client.PATCH('/api/v1/intake-calls/{id}', { params: { path: { id } }, body }));
export const openIntakeCall = (id: string) => data(client.POST('/api/v1/intake-calls/{id}/open', { params: { path: { id } } }));
export const closeIntakeCall = (id: string) => data(client.POST('/api/v1/intake-calls/{id}/close', { params: { path: { id } } }));
