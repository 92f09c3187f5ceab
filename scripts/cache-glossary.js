#!/usr/bin/env node
/**
 * Part of `npm run build`: prebuilds the built-in glossary's phrase trie into
 * dist/glossary-default.json, so `match` reads it back at start-up instead of
 * parsing the glossary (see src/io/glossary-cache.ts). The cache holds the
 * glossary text it was built from and is ignored once that text changes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseGlossary, createConceptMatcher } from '../dist/text/concepts.js';
import { DEFAULT_GLOSSARY_PATH, DEFAULT_GLOSSARY_CACHE } from '../dist/io/read-glossary.js';
import { encodeGlossaryCache, glossaryCacheJson } from '../dist/io/glossary-cache.js';

const text = await readFile(DEFAULT_GLOSSARY_PATH, 'utf8');
const glossary = parseGlossary(text);
if ('problem' in glossary) throw new Error(`glossary/default.csv:${glossary.line}: ${glossary.problem}`);
await writeFile(DEFAULT_GLOSSARY_CACHE, glossaryCacheJson(encodeGlossaryCache(createConceptMatcher(glossary), text)));
