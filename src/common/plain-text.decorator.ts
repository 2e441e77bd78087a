import { Matches, type ValidationOptions } from 'class-validator';

/** Any C0 or C1 control character: NUL, ESC, CR, LF, DEL and the rest. */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/**
 * For every name-like field a person or a device sends (names, identifiers, usernames,
 * search text): control characters are refused, so a name cannot forge log lines (CR/LF),
 * rewrite a terminal (ESC) or be cut short by a NUL in some other system.
 */
export const IsPlainText = (options?: ValidationOptions) =>
  Matches(NO_CONTROL_CHARACTERS, {
    message: '$property must not contain control characters (such as NUL, ESC, CR or LF)',
    ...options,
  });
