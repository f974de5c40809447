import { Button, DatePicker, Segmented, Select } from 'antd';
import dayjs from 'dayjs';
import { listCarriers, CARRIER_KINDS } from '../../api/carriers';
import type { RollupFilters } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { INDUSTRY_SECTIONS } from '../../lib/industry';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { useRollupLabels } from './labels';
import { choiceOf, isoDate, PERIOD_MODES, periodFilters, quarterOf, type PeriodChoice, type PeriodMode } from './period';

/** The value a newly picked mode starts with: this quarter, this year, today. */
function startValue(mode: PeriodMode, today = new Date()): string {
  if (mode === 'quarter') return quarterOf(today);
  if (mode === 'year') return String(today.getFullYear());
  if (mode === 'as_of') return isoDate(today);
  return '';
}

function pickerValue(c: PeriodChoice) {
  if (!c.value) return null;
  if (c.mode === 'quarter') {
    const [y, q] = c.value.split('-Q');
    return dayjs(`${y}-${String((Number(q) - 1) * 3 + 1).padStart(2, '0')}-01`);
  }
  if (c.mode === 'year') return dayjs(`${c.value}-01-01`);
  return dayjs(c.value);
}

/**
 * FilterBar chooses the period (year to date, quarter, year, as of a date)
 * and narrows by carrier kind, carrier (not on a carrier's own overview) and
 * industry section.
 */
export function FilterBar({
  regionId,
  value,
  onChange,
  carrierFixed,
}: {
  regionId: string;
  value: RollupFilters;
  onChange: (f: RollupFilters) => void;
  carrierFixed?: boolean;
}) {
  const { t, lang } = useI18n();
  const l = useRollupLabels();
  const choice = choiceOf(value);
  const carriers = useAsync(
    (signal) =>
      carrierFixed
        ? Promise.resolve([])
        : listCarriers(regionId, { page: 1, page_size: 200, kind: value.carrier_kind }, signal)
            .then((p) => p.items)
            .catch(() => []),
    [regionId, carrierFixed, value.carrier_kind],
  );
  const setChoice = (c: PeriodChoice) => {
    const { period: _p, as_of: _a, ...rest } = value;
    void _p;
    void _a;
    onChange({ ...rest, ...periodFilters(c) });
  };

  return (
    <div className="page-toolbar rollup-filters" data-testid="rollup-filters">
      <Segmented<PeriodMode>
        aria-label={t('r.filter.mode')}
        value={choice.mode}
        options={PERIOD_MODES.map((m) => ({ value: m, label: <span data-testid={`period-${m}`}>{t(`r.filter.mode.${m}`)}</span> }))}
        onChange={(m) => setChoice({ mode: m, value: startValue(m) })}
      />
      {choice.mode !== 'ytd' ? (
        <DatePicker
          allowClear={false}
          picker={choice.mode === 'as_of' ? 'date' : choice.mode}
          value={pickerValue(choice)}
          placeholder={t(choice.mode === 'quarter' ? 'r.filter.pickQuarter' : choice.mode === 'year' ? 'r.filter.pickYear' : 'r.filter.pickDate')}
          onChange={(d) => {
            if (!d) return;
            const v = choice.mode === 'quarter' ? quarterOf(d.toDate()) : choice.mode === 'year' ? String(d.year()) : d.format('YYYY-MM-DD');
            setChoice({ mode: choice.mode, value: v });
          }}
          data-testid="period-picker"
        />
      ) : null}
      <Select
        allowClear
        style={{ minWidth: 150 }}
        placeholder={t('r.filter.kind')}
        aria-label={t('r.filter.kind')}
        value={value.carrier_kind}
        options={CARRIER_KINDS.map((k) => ({ value: k, label: l.kind(k) }))}
        onChange={(v?: string) => onChange({ ...value, carrier_kind: v || undefined, carrier_id: carrierFixed ? value.carrier_id : undefined })}
        data-testid="filter-kind"
      />
      {!carrierFixed ? (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 200 }}
          placeholder={t('r.filter.carrier')}
          aria-label={t('r.filter.carrier')}
          value={value.carrier_id}
          options={(carriers.data ?? []).map((c) => ({ value: c.id, label: localizedName(lang, c) }))}
          onChange={(v?: string) => onChange({ ...value, carrier_id: v || undefined })}
          data-testid="filter-carrier"
        />
      ) : null}
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        style={{ minWidth: 220 }}
        placeholder={t('r.filter.industry')}
        aria-label={t('r.filter.industry')}
        value={value.industry}
        options={INDUSTRY_SECTIONS.map((s) => ({ value: s, label: l.industry(s) }))}
        onChange={(v?: string) => onChange({ ...value, industry: v || undefined })}
        data-testid="filter-industry"
      />
      <Button onClick={() => onChange(carrierFixed && value.carrier_id ? { carrier_id: value.carrier_id } : {})} data-testid="filter-reset">
        {t('r.filter.reset')}
      </Button>
    </div>
  );
}
