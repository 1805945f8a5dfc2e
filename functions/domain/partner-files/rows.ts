/**
 * What a row of each partner file kind holds: one zod schema per kind over the row's cells, by column name
 * (each kind's entry in ./kinds.ts names its schema). The schema is the single source: required columns, the row's type and the reason a cell is refused all
 * come from it. Cells are trimmed; an empty cell is a missing value; codes are read case-insensitively with
 * spaces or hyphens for underscores ("No fixed abode" is NO_FIXED_ABODE).
 */
import * as z from 'zod';
import { localAuthorityCode, prisonNumber } from '#domain/custody-facts';
import {
  accommodationCheckpoints,
  accommodationStatuses,
  aftercarePlans,
  cohorts,
  pathways,
} from '#domain/circumstances';
import { rotaChannels, rotaTiers } from '#domain/rota';

const blankAsMissing = (value: unknown) =>
  typeof value === 'string' && value.trim() === ''
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;
const asCode = (value: string) =>
  value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');

/** A required cell. */
function required<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankAsMissing, schema);
}
/** A cell that may be empty or absent. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankAsMissing, schema.optional());
}
function code<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? asCode(v) : v),
    z.enum(values, { error: `one of ${values.join(', ')}` }),
  );
}
/** Several codes in one cell, separated by ';' or '|'. */
function codes<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.split(/[;|]/).map(asCode).filter(Boolean) : v),
    z
      .array(z.enum(values, { error: `codes from ${values.join(', ')}, separated by ';'` }))
      .transform((list) => [...new Set(list)]),
  );
}

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .pipe(z.iso.date({ error: 'a real date as YYYY-MM-DD' }));
const dateTime = z.iso.datetime({
  offset: true,
  error: 'a date and time with an offset, e.g. 2026-11-20T17:00:00Z or 2026-06-05T17:00:00+01:00',
});
const prisonId = z.string().regex(/^[A-Z]{3}$/, 'a three-letter prison code such as DMI (HMP Durham)');
const la = localAuthorityCode;

export const releaseScheduleRow = z.object({
  prison_number: required(prisonNumber),
  prison_id: required(z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), prisonId)),
  scheduled_for: required(date),
  destination_local_authority: optional(la),
  accommodation: optional(code(accommodationStatuses)),
  aftercare_plan: optional(code(aftercarePlans)),
  needs: optional(codes(pathways)),
  cohorts: optional(codes(cohorts)),
  release_reason: optional(z.string().max(80, 'at most 80 characters')),
  crn: optional(z.string().regex(/^[A-Z][0-9]{6}$/, 'a probation case reference (CRN) such as X123456')),
});

export { accommodationCheckpoints, type AccommodationCheckpoint } from '#domain/circumstances';

export const accommodationOutcomeRow = z
  .object({
    prison_number: required(prisonNumber),
    release_date: required(date),
    local_authority: required(la),
    night1: optional(code(accommodationStatuses)),
    day7: optional(code(accommodationStatuses)),
    day28: optional(code(accommodationStatuses)),
    week12: optional(code(accommodationStatuses)),
  })
  .refine((row) => accommodationCheckpoints.some((c) => row[c] !== undefined), {
    path: ['night1'],
    message: 'a status in at least one of night1, day7, day28, week12',
  });

export const referralOutcomes = [
  'PENDING',
  'ACCEPTED',
  'ENGAGED',
  'DID_NOT_ATTEND',
  'DECLINED',
  'NOT_ELIGIBLE',
  'WITHDRAWN',
] as const;

export const referralOutcomeRow = z.object({
  referral_id: required(
    z
      .string()
      .max(64, 'at most 64 characters')
      .regex(/^[\w./-]+$/, 'letters, digits and . _ / - only'),
  ),
  service: required(code(pathways)),
  referral_date: required(date),
  outcome: required(code(referralOutcomes)),
});

const ukMobile = /^(?:\+44|0)7\d{9}$/;

export const onCallRotaRow = z
  .object({
    local_authority: required(la),
    tier: required(
      z.preprocess(
        (v) => (typeof v === 'string' ? v.toLowerCase() : v),
        z.enum(rotaTiers, { error: `one of ${rotaTiers.join(', ')}` }),
      ),
    ),
    start: required(dateTime),
    end: required(dateTime),
    channel: required(
      z.preprocess(
        (v) => (typeof v === 'string' ? v.toLowerCase() : v),
        z.enum(rotaChannels, { error: `one of ${rotaChannels.join(', ')}` }),
      ),
    ),
    address: required(z.string().max(320, 'at most 320 characters')),
    display_name: optional(z.string().max(80, 'at most 80 characters')),
  })
  .superRefine((row, ctx) => {
    if (Date.parse(row.end) <= Date.parse(row.start))
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'a time after start' });
    const address = row.address.replace(/\s+/g, '');
    const valid =
      row.channel === 'sms'
        ? ukMobile.test(address)
        : row.channel === 'email'
          ? z.email().safeParse(address).success
          : /^https:\/\/[^\s/]+/.test(address);
    const expected = {
      sms: 'a UK mobile number such as 07700 900123 or +447700900123',
      email: 'an e-mail address',
      webhook: 'an https:// URL',
    }[row.channel];
    if (!valid)
      ctx.addIssue({ code: 'custom', path: ['address'], message: `${expected} (channel is ${row.channel})` });
  });

export type ReleaseScheduleRow = z.infer<typeof releaseScheduleRow>;
export type AccommodationOutcomeRow = z.infer<typeof accommodationOutcomeRow>;
export type ReferralOutcomeRow = z.infer<typeof referralOutcomeRow>;
export type OnCallRotaRow = z.infer<typeof onCallRotaRow>;

/** The columns of a row schema, in template order, and whether each must be present. */
export function columnsOf(schema: z.ZodType): { name: string; required: boolean }[] {
  const shape = (
    'shape' in schema
      ? schema.shape
      : (schema as unknown as { def: { in: { shape: z.ZodRawShape } } }).def.in.shape
  ) as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, cell]) => ({
    name,
    required: !cell.safeParse(undefined).success,
  }));
}

/** Why a cell was refused, in words a partner can act on. */
export function cellReason(issue: z.core.$ZodIssue, value: string): string {
  if (value.trim() === '' && issue.code === 'invalid_type') return 'required: the cell is empty';
  return `expected ${issue.message}`;
}
