/**
 * The report every partner file gets, as JSON and as CSV, in `reports/{partnerId}/`. The CSV is opened in
 * spreadsheets, so a value that a spreadsheet would run as a formula is escaped (OWASP "CSV injection").
 */
import { csv, csvCell } from '#domain/csv';

export type FileOutcome = 'accepted' | 'partiallyAccepted' | 'rejected' | 'quarantined' | 'duplicate';

export interface RowRejection {
  /** The line of the file where the row starts (the header is line 1). */
  line: number;
  /** The column refused, or '' when the row as a whole was. */
  column: string;
  value: string;
  reason: string;
}

export interface FileReport {
  file: string;
  partner: string;
  kind: string;
  receivedAt: string;
  sha256?: string;
  bytes?: number;
  outcome: FileOutcome;
  /** Why the file as a whole was rejected, quarantined or is a duplicate. */
  reason?: string;
  duplicateOf?: { file: string; receivedAt: string };
  rows: { total: number; accepted: number; rejected: number };
  warnings: string[];
  rejections: RowRejection[];
  /** Rejections beyond the listed ones (the report keeps the first `maxListedRejections`). */
  rejectionsNotListed: number;
}

/** Enough for a partner to fix a file, and a bound on the report's size however bad the file. */
export const maxListedRejections = 1000;

export function outcomeOf(rows: {
  accepted: number;
  rejected: number;
}): 'accepted' | 'partiallyAccepted' | 'rejected' {
  if (rows.accepted === 0) return 'rejected';
  return rows.rejected === 0 ? 'accepted' : 'partiallyAccepted';
}

const outcomeWords: Record<FileOutcome, string> = {
  accepted: 'accepted',
  partiallyAccepted: 'partially accepted',
  rejected: 'rejected',
  quarantined: 'quarantined',
  duplicate: 'duplicate',
};

export function summary(report: FileReport): string {
  const { total, accepted, rejected } = report.rows;
  const rows = `${accepted} of ${total} row${total === 1 ? '' : 's'} accepted, ${rejected} rejected`;
  switch (report.outcome) {
    case 'quarantined':
      return `quarantined: ${report.reason}`;
    case 'duplicate':
      return `duplicate of ${report.duplicateOf?.file} (received ${report.duplicateOf?.receivedAt}): nothing was applied again`;
    case 'rejected':
      return report.reason ? `rejected: ${report.reason}` : `rejected: ${rows}`;
    default:
      return `${outcomeWords[report.outcome]}: ${rows}`;
  }
}

/** The CSV report: one line for the outcome, one per warning, one per refused cell. */
export function reportCsv(report: FileReport): string {
  const lines: string[][] = [['outcome', '', '', report.outcome, summary(report)]];
  for (const warning of report.warnings) lines.push(['warning', '', '', '', warning]);
  for (const r of report.rejections) lines.push(['rejected', String(r.line), r.column, r.value, r.reason]);
  if (report.rejectionsNotListed > 0)
    lines.push(['rejected', '', '', '', `${report.rejectionsNotListed} more refused cells are not listed`]);
  return csv(['type', 'line', 'column', 'value', 'message'], lines);
}

export { csvCell };
