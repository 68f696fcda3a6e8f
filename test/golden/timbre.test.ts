/** Golden: two timbre studies with inner CV of γ and C equal test/golden/timbre-two-studies.json exactly. */
import { it } from 'vitest';
import { wasmBackend } from '../../src/core/compute-cpu';
import { expectGolden } from './expect-golden';

it('two timbre studies equal their golden JSON (wasm float64)', () => expectGolden('timbre-two-studies', wasmBackend), 900_000);
