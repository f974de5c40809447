import { Select } from 'antd';
import { useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { listRegions } from '../api/regions';
import { carriersOf, isPlatformAdmin, regionsOf, type ScopeOption } from '../auth/roles';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n';
import { useAsync } from '../lib/useAsync';
import { localizedName } from '../lib/names';

/**
 * ScopeSwitcher is the header's region/carrier picker. Its choices come from the
 * user's assignments; a platform admin picks among every region.
 */
export function ScopeSwitcher() {
  const { me, regionId, setRegionId } = useSession();
  const { t, lang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const assignments = me?.assignments ?? [];
  const platform = isPlatformAdmin(assignments);

  const allRegions = useAsync(
    async () => (platform ? (await listRegions({ page_size: 100 })).items : []),
    [platform],
  );

  const regions: ScopeOption[] = useMemo(() => {
    if (!platform) return regionsOf(assignments);
    return (allRegions.data ?? []).map((r) => ({
      kind: 'region' as const,
      id: r.id,
      name_zh: r.name_zh,
      name_en: r.name_en,
      regionId: r.id,
      roles: ['platform_admin'],
    }));
  }, [platform, assignments, allRegions.data]);
  const carriers = useMemo(() => carriersOf(assignments), [assignments]);

  const options = [
    ...(regions.length > 0
      ? [
          {
            label: t('scope.regions'),
            options: regions.map((r) => ({ value: `region:${r.id}`, label: localizedName(lang, r) || r.id })),
          },
        ]
      : []),
    ...(carriers.length > 0
      ? [
          {
            label: t('scope.carriers'),
            options: carriers.map((c) => ({ value: `carrier:${c.id}`, label: localizedName(lang, c) || c.id })),
          },
        ]
      : []),
  ];
  if (options.length === 0) return null;

  const known = new Set(options.flatMap((g) => g.options.map((o) => o.value)));
  const carrierMatch = /^\/carriers\/([^/]+)/.exec(location.pathname);
  const regionMatch = /^\/regions\/([^/]+)\//.exec(location.pathname);
  let value: string | undefined;
  if (carrierMatch && known.has(`carrier:${carrierMatch[1]}`)) value = `carrier:${carrierMatch[1]}`;
  else if (regionMatch && known.has(`region:${regionMatch[1]}`)) value = `region:${regionMatch[1]}`;
  else if (regionId && known.has(`region:${regionId}`)) value = `region:${regionId}`;

  const onChange = (v: string) => {
    const [kind, id] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
    if (kind === 'region') {
      setRegionId(id);
      navigate(`/regions/${id}/dashboard`);
    } else {
      const c = carriers.find((x) => x.id === id);
      if (c?.regionId && (platform || regions.some((r) => r.id === c.regionId))) setRegionId(c.regionId);
      navigate(`/carriers/${id}`);
    }
  };

  return (
    <Select
      className="scope-switcher"
      data-testid="scope-switcher"
      value={value}
      placeholder={t('scope.placeholder')}
      options={options}
      onChange={onChange}
      loading={allRegions.loading && platform}
      showSearch
      optionFilterProp="label"
      aria-label={t('scope.placeholder')}
    />
  );
}
