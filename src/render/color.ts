/** Colour depth for an output stream: 0 none, 1 basic, 2 256 colours, 3 true colour. */
export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Decides colour ourselves: chalk 5 ignores NO_COLOR and cli-table3 colours
 * even when piped. `--no-color` and NO_COLOR win, FORCE_COLOR forces, and
 * otherwise colour only on a terminal.
 */
export function colorLevel(isTTY: boolean, env: NodeJS.ProcessEnv, flag?: boolean): ColorLevel {
  if (flag === false) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (/256/.test(env.TERM ?? '')) return 2;
  return 1;
}
