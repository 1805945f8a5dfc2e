/** Item keys of the records table, in one place. */
export const keys = {
  ledger: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'LEDGER' }),
  person: (prisonNumber: string) => ({ pk: `PERSON#${prisonNumber}`, sk: 'RELEASES' }),
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  /** What to send next for an alert (a later page, the news of an acknowledgement, a reminder): the outbox of its steps. */
  alertNotice: (alertId: string, noticeKey: string) => ({
    pk: `ALERT#${alertId}`,
    sk: `NOTICE#${noticeKey}`,
  }),
  /** ROUTINE releases of one area and local day, for the services' digest: Query pk = DIGEST#{la}#{date}. */
  digestEntry: (localAuthority: string, date: string, caseRef: string) => ({
    pk: `DIGEST#${localAuthority}#${date}`,
    sk: `CASE#${caseRef}`,
  }),
  /** Rota entries of one area, by tier and start: Query pk = ROTA#{la}. */
  rotaEntry: (localAuthority: string, tier: string, start: string, end: string) => ({
    pk: `ROTA#${localAuthority}`,
    sk: `${tier}#${start}#${end}`,
  }),
  /** A rota-gap warning of the coverage check; its deliveries are under ALERT#{warningId}, as an alert's are. */
  rotaGapWarning: (warningId: string) => ({ pk: `ROTAGAP#${warningId}`, sk: 'WARNING' }),
};

/** The aggregates table: one item per counter series and local day. */
export const aggregateKey = (item: { series: string; date: string }) => ({ pk: item.series, sk: item.date });

/** Partner file drops: the ledger of files (by content hash), their chunks and drops (by object), and tracked outcomes. */
export const partnerFileKeys = {
  file: (sha256: string) => ({ pk: `FILE#${sha256}`, sk: 'FILE' }),
  chunk: (sha256: string, index: number) => ({
    pk: `FILE#${sha256}`,
    sk: `CHUNK#${String(index).padStart(6, '0')}`,
  }),
  /** One transaction of adding the file's totals to the counters. */
  fold: (sha256: string, part: number) => ({
    pk: `FILE#${sha256}`,
    sk: `FOLD#${String(part).padStart(4, '0')}`,
  }),
  drop: (dropId: string) => ({ pk: `DROP#${dropId}`, sk: 'DROP' }),
  accommodationOutcome: (prisonNumber: string, releaseDate: string) => ({
    pk: `PERSON#${prisonNumber}`,
    sk: `ACCOMMODATION#${releaseDate}`,
  }),
  referralOutcome: (partnerId: string, referralId: string) => ({
    pk: `REFERRAL#${partnerId}#${referralId}`,
    sk: 'OUTCOME',
  }),
};
