/** Provenance: code version and a content fingerprint of the data an experiment ran on. */
import pkg from '../../package.json';
import type { FeatureSet, JudgmentSet } from './types';

export const VERSION: string = pkg.version;

/**
 * 64-bit content hash as 16 hex digits: two independent 32-bit FNV-1a streams (different offset bases),
 * cheap on long texts (no BigInt in the loop).
 */
export class Fnv64 {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;
  update(s: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }
  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** Fingerprint of features (ids, names, values) and judgments (every record), independent of file layout details like CRLF. */
export function dataFingerprint(features: FeatureSet, judgments: JudgmentSet): string {
  const h = new Fnv64();
  h.update(features.ids.join('\u0001')).update('\u0002').update(features.names.join('\u0001')).update('\u0002');
  const x = features.X.data;
  // hash values through their shortest round-trip text: exact and platform independent
  let chunk = '';
  for (let k = 0; k < x.length; k++) {
    chunk += x[k] + ',';
    if (chunk.length > 4096) {
      h.update(chunk);
      chunk = '';
    }
  }
  h.update(chunk).update('\u0003');
  for (const j of judgments.judgments) {
    const attrs = Object.keys(j.attrs)
      .sort()
      .map((k) => `${k}=${j.attrs[k]}`)
      .join('&');
    if (j.kind === 'vote') h.update(`v|${j.clips.join('|')}|${j.odd}|${j.count}|${j.user ?? ''}|${attrs}\n`);
    else h.update(`r|${j.anchor}|${j.near}|${j.far}|${j.weight}|${attrs}\n`);
  }
  return h.digest();
}
