/**
 * Where a dropped file belongs: `incoming/{partnerId}/{kind}/{name}`. A key that does not name a registered
 * partner and a kind that partner sends cannot be read, and is quarantined with the reason.
 */
import {
  findPartner,
  isPartnerFileKind,
  partnerFileKinds,
  partnerIdPattern,
  type Partner,
  type PartnerFileKind,
} from '#domain/partners';

/** Where partners drop their files: the key they are told to use (the bucket's other prefixes are its adapter's). */
export const dropPrefix = 'incoming/';

/** Where reports and quarantined files of a key go when its partner is not known. */
export const unknownPartner = '_unknown';

export type DropLocation =
  | { ok: true; partner: Partner; kind: PartnerFileKind; name: string }
  | { ok: false; reason: string; partnerId: string; kind: string; name: string };

export function locateDrop(key: string, registry?: readonly Partner[]): DropLocation {
  if (!key.startsWith(dropPrefix)) {
    return {
      ok: false,
      reason: `the file is outside incoming/: partners drop files as incoming/{partnerId}/{kind}/{name}.csv`,
      partnerId: unknownPartner,
      kind: '',
      name: key,
    };
  }
  const [partnerId = '', kind = '', ...rest] = key.slice(dropPrefix.length).split('/');
  const name = rest.join('/');
  const safeId = partnerIdPattern.test(partnerId) ? partnerId : unknownPartner;
  const partner = findPartner(partnerId, registry);
  const refuse = (reason: string): DropLocation => ({
    ok: false,
    reason,
    partnerId: safeId,
    kind,
    name: name || kind,
  });
  if (!partner) return refuse(`'${partnerId}' is not a registered partner`);
  if (!name)
    return refuse(`the key names no file: partners drop files as incoming/${partner.id}/{kind}/{name}.csv`);
  const problem = nameProblem(name);
  // The report and the quarantined copy go under a harmless version of the name: never a '..' segment or a control character.
  if (problem)
    return {
      ok: false,
      reason: problem,
      partnerId: safeId,
      kind: isPartnerFileKind(kind) ? kind : '',
      name: harmless(name),
    };
  if (!isPartnerFileKind(kind))
    return refuse(`'${kind}' is not a kind of partner file (expected one of ${partnerFileKinds.join(', ')})`);
  if (!partner.kinds.includes(kind))
    return refuse(
      `${partner.name} does not send ${kind} files (registered kinds: ${partner.kinds.join(', ')})`,
    );
  return { ok: true, partner, kind, name };
}

/**
 * A name that could be read two ways is refused: a dot segment (`.` or `..`, which a file system or a later tool
 * resolves), an empty segment, a control character, or a name not in Unicode NFC (two keys that look the same).
 */
export function nameProblem(name: string): string | undefined {
  if (name.split('/').some((segment) => segment === '.' || segment === '..' || segment === ''))
    return "the file name has an empty, '.' or '..' path segment";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point of this check
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'the file name has a control character in it';
  if (name.normalize('NFC') !== name)
    return 'the file name is not in Unicode normal form C (write it as NFC: the same letters can be stored two ways)';
  return undefined;
}

function harmless(name: string): string {
  const cleaned = name
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '_')
    .split('/')
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .join('/');
  return cleaned || 'unnamed';
}

/** Folder placeholders (a key ending in '/') are not files. */
export function isFolderMarker(key: string): boolean {
  return key.endsWith('/');
}
