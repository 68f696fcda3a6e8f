/** The Data cell's pickers for several files at once and for a folder (audio and data files, routed by type). */
import { ACCEPT_ALL } from '../audio-files';
import { pathed, takeFiles } from '../take-files';

export function WholeSetInputs({ cellId }: { cellId: string }) {
  const onFiles = (files: FileList) => takeFiles(cellId, pathed(files));
  return (
    <div className="row">
      <div className="field">
        <label htmlFor={`${cellId}-all`}>All files at once</label>
        <input
          id={`${cellId}-all`}
          type="file"
          accept={ACCEPT_ALL}
          multiple
          data-testid="file-all"
          onChange={(e) => {
            // each file goes to the slot its name and header suggest, as when files are dropped
            if (e.target.files?.length) void onFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${cellId}-folder`}>A folder (audio and data files)</label>
        <input
          id={`${cellId}-folder`}
          type="file"
          {...({ webkitdirectory: '' } as object)}
          data-testid="file-folder"
          onChange={(e) => {
            if (e.target.files?.length) void onFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
    </div>
  );
}
