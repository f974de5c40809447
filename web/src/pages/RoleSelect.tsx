import { Select, type SelectProps } from 'antd';
import { useLabels } from '../components/Tags';

/** RoleSelect offers the roles one may grant; each option carries a stable test id. */
export function RoleSelect({ roles, ...rest }: { roles: readonly string[] } & Omit<SelectProps<string>, 'options'>) {
  const labels = useLabels();
  return (
    <Select<string>
      {...rest}
      options={roles.map((r) => ({ value: r, label: labels.role(r) }))}
      optionRender={(o) => <span data-testid={`role-option-${String(o.value)}`}>{o.label}</span>}
    />
  );
}
