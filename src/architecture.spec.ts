import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = import.meta.dirname;

/**
 * Which top-level folders of src/ each core folder may import from. Features (users,
 * devices, device-flow, client-tokens, long-lived-tokens, cameras, health, metrics) may
 * import core; core never imports a feature, and only the composition root (app.module.ts,
 * schema.ts, main.ts, app.setup.ts) knows every module.
 */
const CORE_MAY_IMPORT: Record<string, string[]> = {
  config: ['config'],
  common: ['common', 'config'],
  auth: ['auth', 'common', 'config'],
  audit: ['audit', 'common', 'config'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file, as the src/ folder (or outside place) it lands in. */
function importedAreas(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(
    (m) => m[1],
  );
  return specifiers.map((specifier) => {
    const target = relative(SRC, resolve(dirname(file), specifier));
    return target.startsWith('..') ? target.split('/').slice(0, 2).join('/') : target.split('/')[0];
  });
}

describe('module boundaries', () => {
  it.each(Object.keys(CORE_MAY_IMPORT))('src/%s imports no feature module', (area) => {
    const offending = sourceFiles(join(SRC, area)).flatMap((file) =>
      importedAreas(file)
        .filter((target) => !CORE_MAY_IMPORT[area].includes(target))
        .map((target) => `${relative(SRC, file)} -> ${target}`),
    );
    expect(offending).toEqual([]);
  });

  // The rule, precisely: a module may join another module's table read-only (listings show a
  // token's owner or device), but it changes another module's rows only through that
  // module's service.
  it("no module writes another module's table", () => {
    const features = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !(e.name in CORE_MAY_IMPORT))
      .map((e) => e.name);
    const offending = features.flatMap((area) =>
      sourceFiles(join(SRC, area)).flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const foreignEntities = [
          ...text.matchAll(
            /import (?:type )?\{([^}]+)\} from '\.\.\/([a-z-]+)\/[^']+\.entity\.js'/g,
          ),
        ]
          .filter((m) => m[2] !== area)
          .flatMap((m) => m[1].split(',').map((name) => name.replace('type ', '').trim()));
        return foreignEntities
          .filter((name) =>
            new RegExp(
              `(?:insert|update|delete|save|remove)\\(\\s*${name}\\b|getRepository\\(${name}\\)\\s*\\.(?:insert|update|delete|save|remove)\\b`,
            ).test(text),
          )
          .map((name) => `${relative(SRC, file)} writes ${name}`);
      }),
    );
    expect(offending).toEqual([]);
  });

  it('catches an import from a feature folder', () => {
    const areas = importedAreas(join(SRC, 'schema.ts'));
    expect(areas).toEqual(expect.arrayContaining(['users', 'devices', '../migrations']));
  });
});
