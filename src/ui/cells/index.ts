/**
 * The view of each cell kind (the rest of a kind — label, schema, upstream, checks, run — is its entry in
 * ../kinds.ts). Kept apart from that registry so the model and the store stay free of React; the mapped
 * type makes a kind without a view a compile error.
 */
import type { ComponentType } from 'react';
import type { CellKind, CellOf } from '../kinds';
import { ConstraintsCell } from './ConstraintsCell';
import { CurvesCell } from './CurvesCell';
import { DataCell } from './DataCell';
import { ExperimentCell } from './ExperimentCell';
import { HeatmapsCell } from './HeatmapsCell';
import { NoteCell } from './NoteCell';
import { TransferCell } from './TransferCell';

export interface CellViewProps<K extends CellKind> {
  readonly cell: CellOf<K>;
  readonly index: number;
  readonly count: number;
}

export const CELL_VIEWS: { readonly [K in CellKind]: ComponentType<CellViewProps<K>> } = {
  data: DataCell,
  constraints: ConstraintsCell,
  experiment: ExperimentCell,
  transfer: TransferCell,
  curves: CurvesCell,
  heatmaps: HeatmapsCell,
  note: NoteCell,
};
