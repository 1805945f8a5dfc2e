/**
 * The partner-drops bucket's layout: partners drop under incoming/ (the domain's `dropPrefix`, the key they are
 * told to use); Gatehouse writes each file's report under reports/ and moves the file to archive/ or quarantine/.
 * The prefixes are also the bucket's lifecycle rules and IAM grants (infra/constructs/partner-drops.ts).
 */
import { dropPrefix } from '#domain/partner-files/drop';

export const prefixes = {
  incoming: dropPrefix,
  reports: 'reports/',
  quarantine: 'quarantine/',
  archive: 'archive/',
} as const;

/** A dropped file as the domain located it (an unreadable key has a harmless partner id and name). */
export interface DropFile {
  partnerId: string;
  kind: string;
  name: string;
}

/** Where the report, the quarantined copy and the archived copy of a file go. */
export function destinations(location: DropFile, receivedDate: string) {
  const base = [location.partnerId, location.kind, location.name].filter(Boolean).join('/');
  const stem = base.replace(/\.csv$/i, '');
  return {
    reportJson: `${prefixes.reports}${stem}.report.json`,
    reportCsv: `${prefixes.reports}${stem}.report.csv`,
    quarantine: `${prefixes.quarantine}${base}`,
    archive: `${prefixes.archive}${[location.partnerId, location.kind, receivedDate, location.name].filter(Boolean).join('/')}`,
  };
}

/** Where a file's reports are written and the file moved: a quarantined file's report is also written beside it. */
export function placesFor(location: DropFile, receivedDate: string, quarantined: boolean) {
  const paths = destinations(location, receivedDate);
  return {
    reports: {
      json: quarantined ? [paths.reportJson, `${paths.quarantine}.report.json`] : [paths.reportJson],
      csv: paths.reportCsv,
    },
    movedTo: quarantined ? paths.quarantine : paths.archive,
  };
}
