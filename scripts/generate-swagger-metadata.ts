/**
 * Writes src/metadata.ts: what the nest-cli swagger plugin (classValidatorShim,
 * introspectComments) learns from *.dto.ts and *.entity.ts files. The app loads it, so the
 * API document is the same whether the code was built by `nest build` or run by Vitest.
 *
 * `--check <file>` writes to src/<file> instead, for the test that compares it with the
 * committed src/metadata.ts (a DTO change without `npm run openapi` fails CI).
 */
import { resolve } from 'node:path';
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js';
import { ReadonlyVisitor } from '@nestjs/swagger/plugin';

const srcDir = resolve(import.meta.dirname, '../src');
const checkIndex = process.argv.indexOf('--check');
new PluginMetadataGenerator().generate({
  visitors: [
    new ReadonlyVisitor({
      introspectComments: true,
      classValidatorShim: true,
      dtoFileNameSuffix: ['.dto.ts', '.entity.ts'],
      pathToSource: srcDir,
    }),
  ],
  outputDir: srcDir,
  watch: false,
  tsconfigPath: 'tsconfig.build.json',
  filename: checkIndex >= 0 ? process.argv[checkIndex + 1] : 'metadata.ts',
});
