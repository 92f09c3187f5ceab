import { createRequire } from 'node:module';

type Iconv = typeof import('iconv-lite');

let iconv: Iconv | undefined;

/**
 * iconv-lite, loaded when a file turns out to be UTF-16 or Windows-1252.
 * Loading it costs a run 3-7 ms (a dozen files, outside the bundle's code
 * cache), which UTF-8 inputs, the common case, need not pay. Required rather
 * than imported so that decoding stays synchronous.
 */
export function legacyCodecs(): Iconv {
  return (iconv ??= createRequire(import.meta.url)('iconv-lite') as Iconv);
}
