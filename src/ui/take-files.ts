/**
 * The user's chosen or dropped files into a Data cell: audio files are analysed into the features (issue 13),
 * data files go to the slot their name and header suggest — loaded with the analysis' result as one change,
 * so the set is checked together.
 */
import { pathOf, routeFiles, type PathedFile } from './audio-files';
import { analyseInCell } from './audio-store';
import { guessSlot, type FileText, type Slot } from './data';
import { loadDataFiles } from './store';

async function readFile(f: File): Promise<FileText> {
  return { name: f.name, text: await f.text() };
}

/** Chosen or dropped files: audio is analysed into the features, data files go to their slots (with the result, as one change). */
export async function takeFiles(cellId: string, files: readonly PathedFile[], slot?: Slot): Promise<void> {
  const routed = routeFiles(
    files,
    (f) => f.path,
    (f) => f.file.type,
  );
  // files of a folder that are neither audio nor data (cover.jpg, .DS_Store) are skipped; a single odd file gets the parser's message
  const data = slot ? files : [...routed.data, ...routed.other.filter((f) => !f.path.includes('/') && !f.path.startsWith('.'))];
  const read = await Promise.all(data.map((f) => readFile(f.file)));
  const items = read.map((file) => ({ slot: slot ?? guessSlot(file), file }));
  if (!slot && routed.audio.length) await analyseInCell(cellId, routed.audio, items);
  else if (items.length) loadDataFiles(cellId, items);
}

export const pathed = (fs: FileList): PathedFile[] => Array.from(fs).map((file) => ({ file, path: pathOf(file) }));
