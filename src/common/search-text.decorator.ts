import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPlainText } from './plain-text.decorator.js';

/** Leading and trailing spaces a person typed are not part of what they meant. */
export const trimString = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/**
 * The `q` of every list that searches: optional, trimmed, at most 100 characters, no
 * control characters. Repositories match it literally with `containsPattern`.
 */
export const SearchText = () =>
  applyDecorators(IsOptional(), Transform(trimString), IsString(), MaxLength(100), IsPlainText());
