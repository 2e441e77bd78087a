import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

let installed = false;

/**
 * Memoizes class-validator's rule lookup. On every validation it filters every rule it
 * knows for the class and tests the class against every decorated class for inheritance
 * (`getTargetValidationMetadatas`), then groups the result by property: about a third of
 * validating a small form, and the same answer every time, because rules are registered by
 * decorators when their classes load. The answers are kept per class and options, and all
 * forgotten whenever a rule is registered later (a class loaded after start), so a lookup
 * never misses a rule. Idempotent.
 */
export function memoizeValidationMetadata(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  let rules = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // Without a schema or groups (every validation here), a key with no string building.
    const key =
      schema || groups?.length
        ? `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`
        : `${always ? 'a' : ''}${strictGroups ? 's' : ''}`;
    let forTarget = rules.get(target);
    if (!forTarget) rules.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
  for (const name of ['addValidationMetadata', 'addValidationSchema'] as const) {
    const add = storage[name].bind(storage) as (arg: never) => void;
    storage[name] = ((arg: never) => {
      rules = new Map();
      grouped = new WeakMap();
      add(arg);
    }) as never;
  }
}
