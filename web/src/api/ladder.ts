/** The cultivation ladder: certificates a company climbs, from team to leading firm (incubatees service). */
import { client, data, type Schemas } from './client';

export type LadderEntry = Schemas['incubatees_LadderStepDTO'];
export type LadderInput = Required<Schemas['incubatees_LadderInput']>;

export type LadderStep = 'team_or_result' | 'startup' | 'tech_sme' | 'high_tech' | 'leading';
export const LADDER_STEPS: readonly LadderStep[] = ['team_or_result', 'startup', 'tech_sme', 'high_tech', 'leading'];
/** Steps that always come with an official number. */
export const CERTIFICATE_STEPS: readonly LadderStep[] = ['tech_sme', 'high_tech'];

export const listLadder = (companyId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/companies/{id}/ladder', { params: { path: { id: companyId } }, signal }));
export const recordLadderStep = (companyId: string, body: LadderInput) =>
  data(client.POST('/api/v1/companies/{id}/ladder', { params: { path: { id: companyId } }, body }));
/** rejectLadderStep refuses a claimed step with the reason the company reads (park staff or the district). */
export const rejectLadderStep = (companyId: string, step: string, reason: string) =>
  data(client.POST('/api/v1/companies/{id}/ladder/{step}/reject', { params: { path: { id: companyId, step } }, body: { reason } }));
