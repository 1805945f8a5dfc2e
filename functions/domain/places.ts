/** Names people use for the codes in events. Unknown codes are shown as they are. */
const localAuthorities: Record<string, string> = {
  E06000047: 'County Durham',
  E06000005: 'Darlington',
  E06000001: 'Hartlepool',
  E06000002: 'Middlesbrough',
  E06000003: 'Redcar and Cleveland',
  E06000004: 'Stockton-on-Tees',
  E08000037: 'Gateshead',
  E08000021: 'Newcastle upon Tyne',
  E08000024: 'Sunderland',
};

const prisons: Record<string, string> = {
  DMI: 'HMP Durham',
  DTI: 'HMP/YOI Deerbolt',
  FSI: 'HMP Frankland',
  LFI: 'HMP Low Newton',
  HHI: 'HMP Holme House',
};

export function localAuthorityName(code: string): string {
  return localAuthorities[code] ?? (code === 'UNKNOWN' ? 'area not known' : code);
}

export function prisonName(code: string): string {
  return prisons[code] ?? code;
}
