/**
 * The HMPPS answers Gatehouse reads, as zod schemas of exactly the fields it reads (specs/ holds the vendored,
 * trimmed OpenAPI of each, with its source). Objects are loose: HMPPS adds fields, and a new one must not stop
 * Gatehouse. A field Gatehouse relies on that is missing or of the wrong shape is an error naming the field.
 * HMPPS's Jackson writes absent values as null or leaves them out; both read as "not given".
 */
import * as z from 'zod';
import { pathways } from '#events/custody-event';
import { cas3BookingStatuses, pathwayStatuses } from '#domain/release-facts';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)');
/** Optional on the wire: null and absent are the same to Gatehouse. */
const given = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, 'bearer'),
  expires_in: z.number().int().positive(),
});

export const prisonerResponse = z.looseObject({
  prisonerNumber: z.string().min(1),
  status: given(z.string()),
  legalStatus: given(z.string()),
  prisonId: given(z.string()),
  confirmedReleaseDate: given(localDate),
  releaseDate: given(localDate),
  conditionalReleaseDate: given(localDate),
  homeDetentionCurfewEligibilityDate: given(localDate),
  homeDetentionCurfewActualDate: given(localDate),
  lastMovementTypeCode: given(z.string()),
  lastMovementReasonCode: given(z.string()),
  lastMovementDate: given(localDate),
});

export const caseIdentifiersResponse = z.looseObject({ crn: z.string().min(1) });

export const dutyToReferResponse = z.looseObject({
  mainAddress: given(
    z.looseObject({
      postcode: given(z.string()),
      noFixedAbode: given(z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')])),
    }),
  ),
});

export const resettlementPrisonerResponse = z.looseObject({
  pathways: z.array(
    z.looseObject({
      pathway: z.enum(pathways),
      status: z.enum(pathwayStatuses),
      lastDateChange: given(localDate),
    }),
  ),
});

export const cas3ReferralsResponse = z.array(
  z.looseObject({
    date: localDate,
    bookingStatus: given(z.enum(cas3BookingStatuses)),
    localAuthorityArea: given(z.string()),
  }),
);

export class InvalidResponse extends Error {
  override name = 'InvalidResponse';
}

/** The answer, checked; or an InvalidResponse naming each field that is missing or wrong (never its value). */
export function readResponse<T extends z.ZodType>(schema: T, body: unknown, api: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.join('.') || '(body)';
    return issue.code === 'invalid_type' && issue.input === undefined
      ? `${field} is missing`
      : `${field}: ${issue.message}`;
  });
  throw new InvalidResponse(`${api} answered without what Gatehouse relies on: ${fields.join('; ')}`);
}
