/** Deeper bodies are refused before validation: no API takes more than a few levels. */
export const MAX_BODY_DEPTH = 32;

/**
 * Whether a parsed body nests arrays or objects deeper than `max`. Iterative, so a hostile
 * body cannot exhaust the stack here (it did in class-transformer, which recurses).
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(current as object)) stack.push([child, depth + 1]);
  }
  return false;
}
