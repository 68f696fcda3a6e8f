/**
 * Which of the user's files are audio (to be analysed into features) and which are data files (CSV / TSV /
 * JSON, into the Data cell's slots), by extension first and MIME type second; and every file of a dropped
 * folder (DataTransferItem.webkitGetAsEntry, read recursively).
 */

export const AUDIO_EXTENSIONS = ['wav', 'wave', 'flac', 'mp3', 'ogg', 'oga', 'opus', 'm4a', 'aac', 'mp4', 'webm', 'aif', 'aiff', 'caf'] as const;
export const DATA_EXTENSIONS = ['csv', 'tsv', 'txt', 'json'] as const;

/** `accept` of a file input that takes both. */
export const ACCEPT_ALL =
  [...DATA_EXTENSIONS, ...AUDIO_EXTENSIONS].map((e) => `.${e}`).join(',') + ',audio/*,text/csv,text/tab-separated-values,application/json';

export type FileKind = 'audio' | 'data' | 'other';

const ext = (name: string): string => {
  const m = /\.([^./\\]+)$/.exec(name);
  return m ? m[1].toLowerCase() : '';
};

/** audio by extension or audio/* MIME type; data by extension or a text / JSON MIME type; hidden files (".DS_Store") are other */
export function fileKind(name: string, type = ''): FileKind {
  const base = name.split(/[\\/]/).pop() ?? name;
  if (base.startsWith('.')) return 'other';
  const e = ext(base);
  if ((AUDIO_EXTENSIONS as readonly string[]).includes(e)) return 'audio';
  if ((DATA_EXTENSIONS as readonly string[]).includes(e)) return 'data';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('text/') || type === 'application/json') return 'data';
  return 'other';
}

/** A file with the path it had in a chosen or dropped folder ("" for a file chosen on its own). */
export interface PathedFile {
  readonly file: File;
  readonly path: string;
}

export interface Routed<T> {
  readonly audio: T[];
  readonly data: T[];
  readonly other: T[];
}

/** Split files by kind (audio in path order, so a folder gives the same clip ids every time). */
export function routeFiles<T>(items: readonly T[], nameOf: (x: T) => string, typeOf: (x: T) => string = () => ''): Routed<T> {
  const out: Routed<T> = { audio: [], data: [], other: [] };
  for (const x of items) out[fileKind(nameOf(x), typeOf(x))].push(x);
  out.audio.sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
  return out;
}

export const pathOf = (f: File): string => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;

// --- dropped folders (FileSystemEntry API; DOM) ---------------------------------------------------------------

interface Entry {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly fullPath: string;
  file?(ok: (f: File) => void, err: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (es: Entry[]) => void, err: (e: unknown) => void): void };
}

async function readAll(dir: Entry): Promise<Entry[]> {
  const reader = dir.createReader!();
  const out: Entry[] = [];
  // readEntries returns the entries in batches (100 in Chromium) until an empty one
  for (;;) {
    const batch = await new Promise<Entry[]>((ok, err) => reader.readEntries(ok, err));
    if (!batch.length) return out;
    out.push(...batch);
  }
}

async function walk(e: Entry, out: PathedFile[], depth: number): Promise<void> {
  if (e.isFile && e.file) {
    const file = await new Promise<File>((ok, err) => e.file!(ok, err));
    out.push({ file, path: e.fullPath.replace(/^\//, '') });
  } else if (e.isDirectory && depth < 16) {
    for (const c of await readAll(e)) await walk(c, out, depth + 1);
  }
}

/** Every file of a drop, folders read recursively; falls back to dataTransfer.files where entries are not offered. */
export async function droppedFiles(dt: DataTransfer): Promise<PathedFile[]> {
  const entries = Array.from(dt.items ?? [])
    .filter((i) => i.kind === 'file')
    .map((i) => (i as DataTransferItem & { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.() ?? null);
  if (!entries.length || entries.some((e) => !e)) return Array.from(dt.files).map((file) => ({ file, path: file.name }));
  const out: PathedFile[] = [];
  for (const e of entries) await walk(e!, out, 0);
  return out;
}
