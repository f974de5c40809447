/** Fixtures of the documents UI tests: the demo region's types, documents and an application's checklist. */
import type { Checklist, Document, DocumentType } from '../api/documents';

export const pdfType: DocumentType = {
  code: 'business_plan',
  name_zh: '商业计划书',
  name_en: 'Business plan',
  content_types: ['application/pdf'],
  max_bytes: 20 * 1024 * 1024,
};

export const licenceType: DocumentType = {
  code: 'business_licence',
  name_zh: '营业执照',
  name_en: 'Business licence',
  content_types: ['application/pdf', 'image/jpeg', 'image/png'],
  max_bytes: 10 * 1024 * 1024,
};

export const documentTypes = { items: [licenceType, pdfType], total: 2, page: 1, page_size: 100 };

export function doc(over: Partial<Document> = {}): Document {
  return {
    id: 'D1',
    region_id: 'R1',
    carrier_id: 'C1',
    company_id: 'K1',
    type: 'business_plan',
    checklist_id: 'application:A1',
    status: 'uploaded',
    comment: '',
    reviewed_by: '',
    reviewed_at: '',
    version: 1,
    filename: '商业计划书.pdf',
    size: 245760,
    sha256: 'ab'.repeat(32),
    content_type: 'application/pdf',
    uploaded_by: 'UF',
    uploaded_at: '2026-11-27T02:00:00Z',
    created_at: '2026-11-27T02:00:00Z',
    updated_at: '2026-11-27T02:00:00Z',
    reused_from: null,
    ...over,
  };
}

export function checklist(slots: Checklist['slots'], over: Partial<Checklist> = {}): Checklist {
  return {
    id: 'application:A1',
    owner_kind: 'application',
    owner_id: 'A1',
    region_id: 'R1',
    carrier_id: 'C1',
    company_id: 'K1',
    open: true,
    complete: slots.every((s) => !s.required || (s.document && (s.document.status === 'uploaded' || s.document.status === 'verified'))),
    slots,
    ...over,
  };
}
