import { useId } from 'react';
import { api, call } from '../api/client';
import { Notice } from './notice';
import { useLoad } from './use-load';

/** Checkboxes for the registered scopes the signed-in user may grant. */
export function ScopePicker({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: string[];
  onChange: (scopes: string[]) => void;
}) {
  const options = useLoad(() => call(api.GET('/api/client-tokens/options')), 'scope-options');
  const id = useId();
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.error && <Notice kind="error">{options.error}</Notice>}
      {options.data?.scopes.map((scope) => (
        <div className="check" key={scope.name}>
          <input
            type="checkbox"
            id={`${id}-${scope.name}`}
            checked={value.includes(scope.name)}
            onChange={(event) =>
              onChange(
                event.target.checked
                  ? [...value, scope.name]
                  : value.filter((s) => s !== scope.name),
              )
            }
          />
          <label htmlFor={`${id}-${scope.name}`}>
            {scope.description} <code>{scope.name}</code>
          </label>
        </div>
      ))}
    </fieldset>
  );
}
