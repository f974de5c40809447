import { CompanyDocuments } from '../../components/CompanyDocuments';
import { CompanyShell } from './CompanyShell';

/** DocumentsPage is the company's 资料 tab: its documents and versions; members upload and delete. */
export function DocumentsPage() {
  return (
    <CompanyShell section="documents">
      {(company) => <CompanyDocuments companyId={company.id} regionId={company.region_id} canUpload />}
    </CompanyShell>
  );
}
