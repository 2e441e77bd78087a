import { IsInt, IsString, MaxLength, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { memoizeValidationMetadata } from './validation-metadata-cache.js';

class Named {
  @IsString()
  @MaxLength(5)
  name!: string;
}

class Counted extends Named {
  @IsInt()
  count!: number;
}

const problems = (value: object) =>
  validateSync(value, { whitelist: true }).flatMap((e) => Object.keys(e.constraints ?? {}));

describe('memoizeValidationMetadata', () => {
  it('answers exactly as class-validator does, inherited rules included, again and again', () => {
    const before = [problems(Object.assign(new Counted(), { name: 'toolong', count: 'x' }))];
    memoizeValidationMetadata();
    memoizeValidationMetadata();
    for (let i = 0; i < 3; i++) {
      expect(problems(Object.assign(new Counted(), { name: 'toolong', count: 'x' }))).toEqual(
        before[0],
      );
      expect(problems(Object.assign(new Named(), { name: 'ok' }))).toEqual([]);
    }
    // Whitelisting still strips what has no rule.
    const stripped = Object.assign(new Named(), { name: 'ok', extra: 1 });
    validateSync(stripped, { whitelist: true });
    expect(stripped).toEqual({ name: 'ok' });
  });

  it('sees a rule registered after a class was first validated', () => {
    memoizeValidationMetadata();
    class Late {
      @IsString()
      label!: string;
    }
    expect(problems(Object.assign(new Late(), { label: 3 }))).toEqual(['isString']);
    // A rule added to the same class later (another decorator run) is seen at once.
    IsInt()(Late.prototype, 'size');
    expect(problems(Object.assign(new Late(), { label: 'a', size: 'big' }))).toEqual(['isInt']);
  });
});
