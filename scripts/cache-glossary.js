#!/usr/bin/env node
/**
 * Part of `npm run build`: prebuilds the built-in glossary's phrase trie into
 * dist/glossary-default.json, so `match` reads it back at start-up instead of
 * parsing the glossary (see src/io/glossary-cache.ts), and a copy of the
 * glossary beside it: the cache is ignored once the glossary differs from it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseGlossary, createConceptMatcher } from '../dist/text/concepts.js';
import { DEFAULT_GLOSSARY_PATH, DEFAULT_GLOSSARY_CACHE, DEFAULT_GLOSSARY_CACHE_SOURCE } from '../dist/io/read-glossary.js';
import { encodeGlossaryCache, glossaryCacheJson } from '../dist/io/glossary-cache.js';

const bytes = await readFile(DEFAULT_GLOSSARY_PATH);
const text = bytes.toString('utf8');
const glossary = parseGlossary(text);
if ('problem' in glossary) throw new Error(`glossary/default.csv:${glossary.line}: ${glossary.problem}`);
await writeFile(DEFAULT_GLOSSARY_CACHE, glossaryCacheJson(encodeGlossaryCache(createConceptMatcher(glossary))));
// The bytes that were parsed: a glossary changed since cannot pass for this one.
await writeFile(DEFAULT_GLOSSARY_CACHE_SOURCE, bytes);
