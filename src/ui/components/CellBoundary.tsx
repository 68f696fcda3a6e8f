/**
 * An error boundary around each cell: whatever a cell's view throws (a result it cannot draw, a bug), the
 * rest of the page — the other cells, the notebook menu with "Erase all local data" — stays usable, and the
 * cell says what happened with a way out (show it again; delete the cell's result).
 */
import { Component, type ReactNode } from 'react';

interface Props {
  readonly title: string;
  readonly children: ReactNode;
  /** leave the cell's result out (it is what failed to draw) */
  readonly onDropResult?: () => void;
}

export class CellBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="cell cell-broken" role="alert" data-testid="cell-error-boundary">
        <h2>{this.props.title}: this cell could not be shown</h2>
        <p>
          Its content could not be drawn ({error.message}). The rest of the notebook is not affected. If a stored result is damaged, leave it out and run the
          cell again.
        </p>
        <p className="row">
          {this.props.onDropResult && (
            <button
              type="button"
              onClick={() => {
                this.props.onDropResult?.();
                this.setState({ error: null });
              }}
            >
              Leave the result out
            </button>
          )}
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </p>
      </section>
    );
  }
}
