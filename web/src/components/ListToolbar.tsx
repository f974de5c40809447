import { Input, Select } from 'antd';
import type { ReactNode } from 'react';

export interface ToolbarSearch {
  /** the applied search (from the URL); the box resets when it changes */
  value?: string;
  placeholder: string;
  /** called with the trimmed text, undefined when empty */
  onSearch: (q: string | undefined) => void;
  testId: string;
}

export interface ToolbarFilter {
  key: string;
  value?: string;
  placeholder: string;
  options: { value: string; label: string }[];
  onChange: (v: string | undefined) => void;
  testId: string;
  minWidth?: number;
  /** default true; a filter with a default value may offer "all" as an option instead */
  allowClear?: boolean;
}

/**
 * ListToolbar is the row above a list: a search box and filter selects whose
 * values live in the URL (the page passes them in and writes them back), and
 * whatever else the page adds at the end (an upload button, a custom select).
 */
export function ListToolbar({ search, filters = [], children }: { search?: ToolbarSearch; filters?: ToolbarFilter[]; children?: ReactNode }) {
  return (
    <div className="page-toolbar">
      {search ? (
        <Input.Search
          className="grow"
          allowClear
          defaultValue={search.value}
          key={search.value ?? ''}
          placeholder={search.placeholder}
          onSearch={(v) => search.onSearch(v.trim() || undefined)}
          data-testid={search.testId}
          aria-label={search.placeholder}
        />
      ) : null}
      {filters.map((f) => (
        <Select
          key={f.key}
          allowClear={f.allowClear ?? true}
          style={{ minWidth: f.minWidth ?? 160 }}
          placeholder={f.placeholder}
          value={f.value}
          onChange={(v?: string) => f.onChange(v || undefined)}
          options={f.options}
          data-testid={f.testId}
          aria-label={f.placeholder}
        />
      ))}
      {children}
    </div>
  );
}
