import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { RollupFilters } from '../../api/rollups';

const KEYS = ['period', 'as_of', 'carrier_kind', 'carrier_id', 'industry'] as const;

/**
 * useRollupFilters keeps the overview's filters in the URL, so a view can be
 * linked and the back button undoes a filter.
 */
export function useRollupFilters(): [RollupFilters, (next: RollupFilters) => void] {
  const [params, setParams] = useSearchParams();
  const key = KEYS.map((k) => params.get(k) ?? '').join('|');
  const current = useMemo(() => {
    const f: RollupFilters = {};
    for (const k of KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const set = useCallback(
    (next: RollupFilters) => {
      const p = new URLSearchParams();
      for (const k of KEYS) if (next[k]) p.set(k, next[k] as string);
      setParams(p);
    },
    [setParams],
  );
  return [current, set];
}

/**
 * narrow lays a number's own filters over the page's: a period or date of
 * its own replaces the page's (the two exclude each other on the server).
 */
export function narrow(base: RollupFilters, extra?: RollupFilters): RollupFilters {
  if (!extra) return base;
  const out: RollupFilters = { ...base };
  if (extra.period || extra.as_of) {
    delete out.period;
    delete out.as_of;
  }
  return { ...out, ...extra };
}

/** withoutCarrier is the region's view of the same filters (park staff see the region's totals). */
export function withoutCarrier(f: RollupFilters): RollupFilters {
  const { carrier_id: _c, ...rest } = f;
  void _c;
  return rest;
}
