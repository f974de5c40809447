import { useEffect } from 'react';
import { useParams } from 'react-router';
import { getRegion } from '../../api/regions';
import { useSession } from '../../auth/session';
import { Overview } from '../../components/rollups/Overview';
import { useI18n } from '../../i18n';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';

/** DistrictOverviewPage is the district science bureau's view of its region (district roles, platform admin). */
export default function DistrictOverviewPage() {
  const { regionId = '' } = useParams();
  const { t, lang } = useI18n();
  const { regionId: current, setRegionId } = useSession();
  useEffect(() => {
    if (regionId && regionId !== current) setRegionId(regionId);
  }, [regionId, current, setRegionId]);
  // The name is decoration: a failure must not hide the figures.
  const region = useAsync(() => getRegion(regionId).catch(() => undefined), [regionId]);
  const title = region.data ? t('r.title.district', { region: localizedName(lang, region.data) }) : t('r.title.plain');
  return <Overview key={regionId} regionId={regionId} title={title} />;
}
