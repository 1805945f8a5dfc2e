/**
 * The header row decides which cell is which column; every later row is read through it. Column names are
 * matched ignoring case, spaces, hyphens and underscores ("Prison Number" is prison_number).
 */
import type { PartnerFileKind } from '#domain/partners';
import { partnerFileKindEntries, type PartnerFileRow } from './kinds';
import { cellReason, columnsOf } from './rows';
import type { RowRejection } from './report';

export interface Header {
  kind: PartnerFileKind;
  /** The column name each cell position maps to; undefined for a column the kind does not have. */
  positions: (string | undefined)[];
  warnings: string[];
}

export type HeaderMatch = { ok: true; header: Header } | { ok: false; reason: string; warnings: string[] };

export function comparableName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

export function matchHeader(kind: PartnerFileKind, cells: string[]): HeaderMatch {
  const columns = columnsOf(partnerFileKindEntries[kind].schema);
  const byName = new Map(columns.map((c) => [comparableName(c.name), c.name]));
  const positions = cells.map((cell) => byName.get(comparableName(cell)));
  const warnings = cells.flatMap((cell, i) =>
    positions[i] === undefined && cell.trim() !== ''
      ? [`column '${cell.trim()}' (column ${i + 1}) is not part of ${kind} and was ignored`]
      : [],
  );
  const repeated = [
    ...new Set(
      positions.filter((name, i): name is string => name !== undefined && positions.indexOf(name) !== i),
    ),
  ];
  if (repeated.length > 0)
    return { ok: false, reason: `the header names ${list(repeated)} more than once`, warnings };
  const missing = columns.filter((c) => c.required && !positions.includes(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `the header has no ${list(missing)} column${missing.length > 1 ? 's' : ''}, which ${kind} requires (expected columns: ${columns.map((c) => c.name).join(', ')})`,
      warnings,
    };
  }
  return { ok: true, header: { kind, positions, warnings } };
}

/** A refused value is echoed back to the partner, shortened so that one odd cell cannot bloat the report. */
const maxValueLength = 200;

export type RowReading<K extends PartnerFileKind> =
  | { ok: true; row: PartnerFileRow<K> }
  | { ok: false; rejections: RowRejection[] };

/** Reads one data row: every refused cell is named with its line, column, value and reason. */
export function readRow<K extends PartnerFileKind>(
  header: Header & { kind: K },
  line: number,
  cells: string[],
): RowReading<K> {
  const width = header.positions.length;
  const extra = cells.slice(width).filter((c) => c.trim() !== '');
  if (cells.length < width || extra.length > 0) {
    return {
      ok: false,
      rejections: [
        {
          line,
          column: '',
          value: '',
          reason: `the row has ${cells.length} cells where the header has ${width}`,
        },
      ],
    };
  }
  const record: Record<string, string> = {};
  header.positions.forEach((name, i) => {
    if (name !== undefined) record[name] = cells[i]!;
  });
  const parsed = partnerFileKindEntries[header.kind].schema.safeParse(record);
  if (parsed.success) return { ok: true, row: parsed.data as PartnerFileRow<K> };
  const seen = new Set<string>();
  const rejections = parsed.error.issues.flatMap((issue) => {
    const column = String(issue.path[0] ?? '');
    if (seen.has(column)) return [];
    seen.add(column);
    const value = record[column] ?? '';
    return [
      {
        line,
        column,
        value: value.length > maxValueLength ? `${value.slice(0, maxValueLength)}…` : value,
        reason: cellReason(issue, value),
      },
    ];
  });
  return { ok: false, rejections };
}

function list(names: string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
