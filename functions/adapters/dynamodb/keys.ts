/** Item keys of the records table, in one place. */
export const keys = {
  ledger: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'LEDGER' }),
  person: (prisonNumber: string) => ({ pk: `PERSON#${prisonNumber}`, sk: 'RELEASES' }),
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  /** Rota entries of one area, by tier and start: Query pk = ROTA#{la}. */
  rotaEntry: (localAuthority: string, tier: string, start: string, end: string) => ({ pk: `ROTA#${localAuthority}`, sk: `${tier}#${start}#${end}` }),
};
