import { Select, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { listRegionCompanies, type Company } from '../api/companies';
import { useI18n } from '../i18n';
import { localizedName } from '../lib/names';

/**
 * CompanySelect filters a list by company: it searches the region's
 * companies on the server as one types (those the user may see) and shows
 * the chosen one by name.
 */
export function CompanySelect({
  regionId,
  value,
  selected,
  onChange,
  placeholder,
  testId,
}: {
  regionId?: string;
  value?: string;
  /** the chosen company, when the page already knows it (for its name) */
  selected?: Company | null;
  onChange: (id: string | undefined) => void;
  placeholder: string;
  testId: string;
}) {
  const { lang } = useI18n();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Company[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!open || !regionId) return;
    const ctrl = new AbortController();
    // A short pause, so typing a name sends one search rather than one per key.
    const timer = setTimeout(() => {
      setLoading(true);
      listRegionCompanies(regionId, { q: q.trim() || undefined, page_size: 20 }, ctrl.signal).then(
        (p) => {
          setItems(p.items);
          setLoading(false);
        },
        () => {
          if (!ctrl.signal.aborted) setLoading(false);
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [open, regionId, q]);

  const options = items.map((c) => ({ value: c.id, label: localizedName(lang, c) || c.id }));
  if (value && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: selected ? localizedName(lang, selected) || value : value });
  }

  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      style={{ minWidth: 220 }}
      placeholder={placeholder}
      value={value}
      disabled={!regionId}
      onSearch={setQ}
      onOpenChange={setOpen}
      onChange={(v?: string) => {
        setQ('');
        onChange(v || undefined);
      }}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      options={options}
      data-testid={testId}
      aria-label={placeholder}
    />
  );
}
