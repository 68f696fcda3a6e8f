/**
 * Golden: the default notebook's experiment equals test/golden/synthetic-default.json exactly (cases.ts says
 * what is compared). On the WebAssembly engine (bit-identical to the JavaScript reference, which wrote the
 * file); the two golden cases are separate files so that vitest runs them on separate cores.
 */
import { it } from 'vitest';
import { wasmBackend } from '../../src/core/compute-cpu';
import { expectGolden } from './expect-golden';

it('synthetic default notebook equals its golden JSON (wasm float64)', () => expectGolden('synthetic-default', wasmBackend), 900_000);
