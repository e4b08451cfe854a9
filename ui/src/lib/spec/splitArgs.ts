/**
 * Splits a command line into argv the way a POSIX shell splits words, without expanding anything:
 * whitespace separates words, '…' keeps everything literally, "…" keeps everything but \" and \\,
 * and a backslash outside quotes escapes the next character.
 *
 * @example
 * splitArgs(`python train.py --name "big run" 'a b'`) // ['python', 'train.py', '--name', 'big run', 'a b']
 */
export function splitArgs(line: string): { ok: true; argv: string[] } | { ok: false; reason: string } {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false, reason: `a ${quote === '"' ? 'double' : 'single'} quote is not closed` };
  if (inWord) argv.push(word);
  return { ok: true, argv };
}

/** The inverse, for showing a spec's argv as one line. */
export function joinArgs(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
