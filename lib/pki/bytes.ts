/** Byte views the ASN.1 and WebCrypto APIs ask for, without copying where a view will do. */

/** An ArrayBuffer holding exactly these bytes (a copy when `bytes` is a view into a larger buffer, as a pooled Buffer is). */
export function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A Uint8Array view of a WebCrypto `BufferSource`. */
export const viewOf = (data: BufferSource): Uint8Array =>
  ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
