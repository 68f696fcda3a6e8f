#!/usr/bin/env node
/** Entry of the built command (`similarity-lab`, dist-cli/similarity-lab.js; see scripts/build-cli.mjs). */
import { main } from './main';

main(process.argv.slice(2)).then((code) => process.exit(code));
