/** Note cell: Markdown text, rendered sanitised (raw HTML in the text is shown as text). */
import { useId, useMemo, useState } from 'react';
import type { CellOf } from '../model';
import { renderMarkdown } from '../markdown';
import { setParams } from '../store';
import { CellFrame } from './CellFrame';

export function NoteCell({ cell, index, count }: { cell: CellOf<'note'>; index: number; count: number }) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  // the HTML comes from `renderMarkdown`, which escapes every raw HTML token and filters link targets
  const html = useMemo(() => renderMarkdown(cell.params.text), [cell.params.text]);
  return (
    <CellFrame cell={cell} index={index} count={count}>
      {editing ? (
        <div className="field">
          <label htmlFor={id}>Note (Markdown)</label>
          <textarea id={id} rows={6} value={cell.params.text} onChange={(e) => setParams<'note'>(cell.id, { text: e.target.value })} />
        </div>
      ) : (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown (markdown.ts) escapes raw HTML and keeps only safe links (tested)
        <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />
      )}
      <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
        {editing ? 'Done' : 'Edit note'}
      </button>
    </CellFrame>
  );
}
