/** SOURCE.md of the poster-like demo set (public/data/poster), written by generate-synthetic.ts --preset poster. */
import { groupSummary } from '../src/core/constraints';
import { POSTER_TARGETS, type SyntheticDataset } from '../src/core/synthetic';

function sizeTable(ds: SyntheticDataset): string {
  const rows = groupSummary(ds.judgments, ds.features.ids, 'age_group');
  const line = (g: '<=25' | '>25'): string => {
    const r = rows.find((x) => x.group === g)!;
    const t = POSTER_TARGETS[g];
    return (
      `| ${g} | ${r.votes} (${t.ratings}) | ${r.constraints} (${t.constraints}) | ${r.clips} | ` +
      `${r.complement.votes} (${t.complementRatings}) | ${r.complement.constraints} (${t.complementConstraints}) |`
    );
  };
  const all = rows.find((x) => x.group === 'all')!;
  return [
    '| group | ratings (poster) | constraints (poster) | clips | complement ratings (poster) | complement constraints (poster) |',
    '|---|---|---|---|---|---|',
    line('<=25'),
    line('>25'),
    `| all | ${all.votes} | ${all.constraints} | ${all.clips} | | |`,
  ].join('\n');
}

export function posterSourceMd(ds: SyntheticDataset, command: string): string {
  const o = ds.options;
  const s = ds.stats;
  return `# A demo set like the poster's data (synthetic CASimIR-like votes)

**Synthetic, not real listeners.** Every value here was drawn by the lab's seeded generator
(\`src/core/synthetic.ts\`, options \`POSTER_PRESET\`); no person rated anything. It has the sizes and the
difficulty of the CASimIR data in Wolff, MacFarlane & Weyde, "Comparative Music Similarity Modelling
using Transfer Learning across User Groups" (ISMIR 2015): ${ds.features.X.rows} clips, two age groups of the
poster's sizes and players who gave no age, and Euclidean fulfilment near the poster's 59–60 %. The bundled
\`synthetic\` set is the easy one (Euclidean 73 %); this one is as hard as the real data.

## Sizes (lab's conversion of votes to constraints, FORMATS.md / METHOD.md §1)
The poster's numbers are read as: group <=25 919 ratings, group >25 1183, and ${POSTER_TARGETS.noAgeRatings} ratings
from players who gave no age (in neither group, so in both complements); 919 + 1183 = 2102 ratings from players
who gave an age.

${sizeTable(ds)}

Votes by stated age group: ${Object.entries(s.votesPerGroup)
    .map(([g, c]) => `${g === 'noAge' ? 'no age' : g} ${c}`)
    .join(', ')}; ${s.tripletsVoted} distinct triplets voted on (Zipf-popular pool of ${o.triplets}, exponent
${o.tripletSkew}), ${s.contradictedTriplets} of them with contradicting votes.

## Generator parameters (truth.json \`options\` has all of them)
- seed ${o.seed}, ${o.clips} clips, ${o.users} users (a share ${o.noAgeShare} left age_group empty), ${o.votes} votes with exact
  counts per stated group (\`votesPerGroup\`), true group >25 for a share ${o.plantedShare} of users.
- Calibrated to the poster's statistics: \`noise\` ${o.noise} (Euclidean ≈ 59.7 % over seeds 1–20), \`triplets\` ${o.triplets} and
  \`tripletSkew\` ${o.tripletSkew} (constraint counts), \`seed\` (the seed of 1–20 closest to the targets). Nothing was
  tuned toward any method's result or an ordering of methods.
- Not calibrated (the bundled set's defaults): the feature model, the template W_T, the planted couplings of
  group \`${o.plantedGroup}\` (${ds.planted.map((p) => `${p.i}–${p.j}`).join(', ')}; couplingStrength ${o.couplingStrength}).
- Label noise: with probability ${o.noise} a vote is a uniformly random clip of the three; the planted metric changes
  the noiseless answer on ${(100 * s.plantedFlipShare).toFixed(1)}% of pool triplets, the template differs from Euclidean
  on ${(100 * s.templateVsEuclideanFlipShare).toFixed(1)}%.

What the lab's methods reach on this set, beside the poster's table: docs/METHOD.md ("A demo set like the
poster's data") and the notebook's note on this set (\`src/ui/poster-results.ts\`, taken from \`experiment.json\`,
the CLI's --json output).

## Provenance and regeneration
Regenerate (byte-identical) with

    ${command}

Licence: generated data, no third-party content; use freely.
`;
}
