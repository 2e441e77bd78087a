/**
 * A "contains" pattern for `LIKE :q ESCAPE '!'` that matches the text literally: `%`, `_`
 * and `!` are escaped. `!` as the escape character is the one spelling MySQL and SQLite both
 * accept (SQLite has no default escape; MySQL's backslash would need doubling).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, '!$&')}%`;
}

/** A "starts with" pattern for `LIKE :q ESCAPE '!'`, escaped the same way. */
export function likePrefix(text: string): string {
  return `${text.replace(/[!%_]/g, '!$&')}%`;
}
