// Content padding, so ciphertext sizes say little about message sizes: the encoded Content, then
// 0x80, then zeros. Signal clients size the result as `paddedSize(len + 1) - 1` with `paddedSize`
// rounding up to a multiple of 160: one byte short of the block, which leaves room for the one
// byte of PKCS#7 padding the ratchet's AES-CBC adds, so the ciphertext fills whole blocks.
const BLOCK = 160;
const MARKER = 0x80;

/** The padded length Signal clients produce for a Content of `contentLength` bytes. */
export function paddedLength(contentLength: number): number {
  return Math.ceil((contentLength + 2) / BLOCK) * BLOCK - 1;
}

export function padContent(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(content.length));
  out.set(content);
  out[content.length] = MARKER;
  return out;
}

/**
 * The Content inside padded plaintext. Any number of trailing zeros is accepted (the mock server
 * and some clients send the marker alone), but the marker itself is required: plaintext without
 * it is not something a Signal client produced.
 */
export function unpadContent(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== MARKER) throw new Error('invalid padding: no 0x80 marker');
  return padded.subarray(0, end);
}
