/** Validation errors a producer can act on: which field, and what was expected. Never echoes values into logs. */
import type { z } from 'zod';

export interface FieldError {
  /** Dotted path of the field, e.g. `person.prisonNumber` or `release.needs.1`; empty for the whole message. */
  path: string;
  /** What was expected there, in words. */
  expected: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), expected: expectation(issue) }));
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // A schema that says in its own words what it expects (a date, an instant) is taken at its word.
      if (!issue.message.startsWith('Invalid input')) return issue.message;
      return issue.message.includes('received undefined')
        ? `${article(issue.expected)} ${issue.expected} (the field is required)`
        : `${article(issue.expected)} ${issue.expected}`;
    case 'unrecognized_keys':
      return `no field named ${issue.keys.map((k) => `'${k}'`).join(', ')} (not part of the contract)`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? `one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}`
        : issue.message;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

export function describe(errors: FieldError[]): string {
  return errors.map((e) => `${e.path || '(message)'}: expected ${e.expected}`).join('; ');
}
