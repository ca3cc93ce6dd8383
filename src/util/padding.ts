// Content padding, so message sizes leak less: 0x80, then zeros up to the next multiple of
// 160 bytes (with room for the ratchet's own one-byte overhead, as Signal clients do).
const BLOCK = 160;

export function paddedLength(messageLength: number): number {
  const withMarkerAndOverhead = messageLength + 1 + 1;
  const blocks = Math.ceil(withMarkerAndOverhead / BLOCK);
  return blocks * BLOCK - 1;
}

export function padContent(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(content.length));
  out.set(content);
  out[content.length] = 0x80;
  return out;
}

export function unpadContent(padded: Uint8Array): Uint8Array {
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0) i--;
  if (i < 0 || padded[i] !== 0x80) throw new Error('invalid padding: no 0x80 marker');
  return padded.subarray(0, i);
}
