import { Skeleton } from 'antd';
import { useParams } from 'react-router';
import { getCarrier } from '../../api/carriers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Overview } from '../../components/rollups/Overview';
import { useI18n } from '../../i18n';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';

/**
 * ParkOverviewPage is the same overview scoped to one carrier (park staff):
 * its own figures and rows, with the region's totals beside them.
 */
export default function ParkOverviewPage() {
  const { carrierId = '' } = useParams();
  const { t, lang } = useI18n();
  const carrier = useAsync((signal) => getCarrier(carrierId, signal), [carrierId]);
  if (carrier.error) return <ErrorAlert error={carrier.error} onRetry={carrier.reload} />;
  if (!carrier.data) return <Skeleton active />;
  return (
    <Overview
      key={carrierId}
      regionId={carrier.data.region_id}
      carrierId={carrierId}
      title={t('r.title.park', { carrier: localizedName(lang, carrier.data) })}
    />
  );
}
