import { Foundation1764000000000 } from './1764000000000-Foundation.js';

/** In order. Listed explicitly: ESM builds cannot glob-load migration files. */
export const MIGRATIONS = [Foundation1764000000000];
