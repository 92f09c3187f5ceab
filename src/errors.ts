/** Exit codes shared by every command (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The command ran and found what it reports (diff found changes, lint --strict found warnings). */
  found: 1,
  usage: 2,
  input: 3,
  output: 4,
  internal: 5,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters quoted from the data (a line break in an id, a parser's excerpt) shown escaped, so the message stays one line. */
export function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => CONTROL_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An error meant for the user: one line of text and the exit code it maps to. */
export class MatchError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(oneLine(message));
    this.name = 'MatchError';
  }
}

/** Where in an input a problem is: `file:line:column` as compilers print it. */
export function location(file: string, line?: number, column?: number): string {
  return [file, line, line !== undefined ? column : undefined].filter((x) => x !== undefined).join(':');
}

export function inputError(file: string, line: number | undefined, message: string, column?: number): MatchError {
  return new MatchError(EXIT.input, `${location(file, line, column)}: ${message}`);
}

export function usageError(message: string): MatchError {
  return new MatchError(EXIT.usage, message);
}
