/**
 * CSV for people who open it in a spreadsheet. A text cell that starts with = + - @ or a tab/CR would be
 * run as a formula by Excel or LibreOffice (CSV injection), so it is prefixed with an apostrophe, which
 * spreadsheets show as text; numbers are written as numbers.
 */
export type CsvCell = string | number | null | undefined;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows as CSV text with CRLF line ends (RFC 4180), the header first. */
export function csv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
