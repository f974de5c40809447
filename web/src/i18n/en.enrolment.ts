import type { zhCNEnrolment } from './zh-CN.enrolment';

/** English texts of direct enrolment offers. */
export const enEnrolment: Record<keyof typeof zhCNEnrolment, string> = {
  'enrol.offer': 'Ask a company to confirm its residency',
  'enrol.offerTitle': 'Ask a company already at this carrier to confirm its residency',
  'enrol.offerHint': 'The residency opens only when the company’s admin accepts; until then you see nothing of the company.',
  'enrol.uscc': 'Unified social credit code',
  'enrol.movedInOn': 'Moved in on (optional)',
  'enrol.unit': 'Unit',
  'enrol.area': 'Area (m²)',
  'enrol.note': 'Note (the company sees it)',
  'enrol.send': 'Send',
  'enrol.sent': 'Sent; waiting for the company’s answer',
  'enrol.pendingTitle': 'Residency requests from carriers',
  'enrol.pendingHint': 'These carriers ask your company to confirm it resides with them. Once you accept, their staff can see your profile, members, reports and chain history.',
  'enrol.from': '{carrier} asks you to confirm your residency',
  'enrol.accept': 'Accept',
  'enrol.acceptConfirm': 'The carrier will see your company’s details. Accept?',
  'enrol.decline': 'Decline',
  'enrol.declineReason': 'Reason (optional)',
  'enrol.accepted': 'Accepted; the residency is open',
  'enrol.declined': 'Declined',
  'enrol.onlyAdmin': 'Only a company admin can answer',
};
