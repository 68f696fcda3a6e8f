/**
 * A content hash of a file's bytes for the clip store's keys (issue 13): the same file dropped twice is stored
 * once. Plain JavaScript, because crypto.subtle needs a secure context and the lab also runs from plain http.
 * Two independent 32-bit multiply-xor lanes (cyrb53-style, 64 bits in all) and the byte length: the key names
 * a file, it is no protection against someone forging collisions (nothing here trusts it for that).
 */
export function contentHash(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef ^ bytes.length;
  let h2 = 0x41c6ce57 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    h1 = Math.imul(h1 ^ b, 2654435761);
    h2 = Math.imul(h2 ^ b, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return `${hex(h2)}${hex(h1)}-${bytes.length}`;
}
