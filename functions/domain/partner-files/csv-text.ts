/**
 * Reads a partner file as it streams: bytes → SHA-256 and UTF-8 check → CSV records with their line numbers.
 * Nothing is held but the current record, so a 1,000,000-row file needs no more memory than a 10-row one.
 * A file that is not UTF-8 text, not CSV, empty or too large ends the reading with `UnreadableFile`.
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';

export class UnreadableFile extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnreadableFile';
  }
}

export interface CsvRecord {
  /** The line where the record starts, counting from 1. */
  line: number;
  cells: string[];
}

export interface CsvReading {
  /** Non-blank records, header first. */
  records: AsyncIterable<CsvRecord>;
  /** Known once `records` has been read to the end. */
  digest(): { sha256: string; bytes: number };
}

/** A single record longer than this is taken for a runaway quote, not data. */
const maxRecordBytes = 1024 * 1024;

export function readCsv(source: AsyncIterable<Uint8Array>, options: { maxBytes: number }): CsvReading {
  const hash = createHash('sha256');
  const utf8 = new Utf8Check();
  let bytes = 0;
  let done: { sha256: string; bytes: number } | undefined;

  async function* text(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8'); // drops a leading byte-order mark
    for await (const chunk of source) {
      bytes += chunk.length;
      if (bytes > options.maxBytes)
        throw new UnreadableFile(`the file is larger than the limit of ${sizeInWords(options.maxBytes)}`);
      hash.update(chunk);
      utf8.check(chunk);
      yield decoder.decode(chunk, { stream: true });
    }
    utf8.end();
    const rest = decoder.decode();
    if (rest) yield rest;
    done = { sha256: hash.digest('hex'), bytes };
  }

  async function* records(): AsyncGenerator<CsvRecord> {
    const parser = parse({
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: maxRecordBytes,
    });
    const pumping = pipeline(text, parser).catch((error: unknown) => error);
    let seen = 0;
    // csv-parse counts a CRLF inside a quoted cell as two lines; `extra` undoes that for every later record.
    let extra = 0;
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: string[];
        info: { lines: number };
      }>) {
        const breaks = record.reduce((n, cell) => n + (cell.match(/[\r\n]/g)?.length ?? 0), 0);
        const crlfs = record.reduce((n, cell) => n + (cell.match(/\r\n/g)?.length ?? 0), 0);
        const end = info.lines - extra - crlfs;
        extra += crlfs;
        if (record.every((cell) => cell.trim() === '')) continue; // a spreadsheet's trailing ",,,"
        seen += 1;
        yield { line: end - (breaks - crlfs), cells: record };
      }
    } catch (error) {
      throw unreadable(error);
    }
    const failed = await pumping;
    if (failed) throw unreadable(failed);
    if (bytes === 0 || seen === 0) throw new UnreadableFile('the file is empty');
  }

  return {
    records: records(),
    digest() {
      if (!done) throw new Error('the file has not been read to the end');
      return done;
    },
  };
}

function unreadable(error: unknown): Error {
  if (error instanceof UnreadableFile) return error;
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    const where = line ? `line ${line}: ` : '';
    const what: Record<string, string> = {
      CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
      CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters',
      CSV_MAX_RECORD_SIZE: `a record is longer than ${sizeInWords(maxRecordBytes)} (an unclosed quote?)`,
    };
    return new UnreadableFile(`the file is not valid CSV: ${where}${what[error.code] ?? error.message}`);
  }
  return error as Error;
}

/** 50 MB, 64 KB: how a size limit is said to a partner. */
export function sizeInWords(n: number): string {
  return n >= 1024 * 1024
    ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB`
    : `${Math.round((n / 1024) * 10) / 10} KB`;
}

/**
 * Checks UTF-8 across chunk boundaries and names the first bad byte by line, which a partner can find;
 * a NUL byte means binary data, not text.
 */
class Utf8Check {
  private line = 1;
  private pending = 0;
  private lead = 0;
  /** The first byte of the character being read: what a partner's editor shows as the odd character. */
  private start = 0;

  check(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (this.pending > 0) {
        const secondByteOk =
          this.lead === 0 ||
          (b >= (this.lead === 0xe0 ? 0xa0 : this.lead === 0xf0 ? 0x90 : 0x80) &&
            b <= (this.lead === 0xed ? 0x9f : this.lead === 0xf4 ? 0x8f : 0xbf));
        if ((b & 0xc0) !== 0x80 || !secondByteOk) this.fail(this.start);
        this.lead = 0;
        this.pending -= 1;
        continue;
      }
      if (b === 0x0a) this.line += 1;
      else if (b === 0x00)
        throw new UnreadableFile(
          `the file holds binary data (a NUL byte on line ${this.line}), not CSV text`,
        );
      else if (b >= 0x80) {
        if (b >= 0xc2 && b <= 0xdf) this.pending = 1;
        else if (b >= 0xe0 && b <= 0xef) this.pending = 2;
        else if (b >= 0xf0 && b <= 0xf4) this.pending = 3;
        else this.fail(b);
        this.lead = b;
        this.start = b;
      }
    }
  }

  end(): void {
    if (this.pending > 0)
      throw new UnreadableFile(
        `the file is not UTF-8: it ends in the middle of a character on line ${this.line} (save it as "CSV UTF-8")`,
      );
  }

  private fail(b: number): never {
    throw new UnreadableFile(
      `the file is not UTF-8: line ${this.line} has the byte 0x${b.toString(16).toUpperCase().padStart(2, '0')}, which UTF-8 does not allow there (save it as "CSV UTF-8")`,
    );
  }
}
