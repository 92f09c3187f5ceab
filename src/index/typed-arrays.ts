/**
 * Zeroed typed arrays, optionally in shared memory (a SharedArrayBuffer), so
 * the large arrays of an index can be read by several threads from one copy
 * (see parallel/), built there from the start rather than copied later.
 */
export function int32Array(length: number, shared = false): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length);
}

export function float32Array(length: number, shared = false): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float32Array(length);
}
