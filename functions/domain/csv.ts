/**
 * CSV for people who open it in a spreadsheet. A text cell that starts with = + - @ (or their full-width forms
 * ＝ ＋ － ＠, which some spreadsheets fold to ASCII), possibly after leading spaces, or with a tab, CR, LF or NUL,
 * would be run as a formula by Excel or LibreOffice (CSV injection), so it is prefixed with an apostrophe, which
 * spreadsheets show as text; numbers are written as numbers. The one escaping function for every export and report.
 */
export type CsvCell = string | number | null | undefined;

const formulaStart = /^(?:[\t\r\n\0]|[ \u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows as CSV text with CRLF line ends (RFC 4180), the header first. */
export function csv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
