// Words pasted into a POSIX shell as they are printed: the commands layerctl suggests after an
// unknown outcome ("check with ...") must work when pasted, whatever the names hold.

/** `s` as one shell word: bare when it is safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
