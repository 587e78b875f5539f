/**
 * Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the
 * payload (Protobuf adds its message indexes before the payload).
 */
import { SchemaRegistryDataError } from './errors.ts';

export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** The id and payload of framed bytes; throws when the magic byte is not 0. */
export function unframe(bytes: Uint8Array): { id: number; payload: Buffer } {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER_SIZE || buf[0] !== MAGIC_BYTE) {
    throw new SchemaRegistryDataError('Unknown magic byte!');
  }
  return { id: buf.readInt32BE(1), payload: buf.subarray(HEADER_SIZE) };
}

/** Magic byte, id, then the payload, in one buffer. */
export function frame(id: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  writeHeader(out, id);
  out.set(payload, HEADER_SIZE);
  return out;
}

/** Writes the magic byte and the id into the first HEADER_SIZE bytes, for a payload already after them. */
export function writeHeader(out: Buffer, id: number): void {
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(id, 1);
}
