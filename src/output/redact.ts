// Secrets must never reach any output. Every byte we write to stdout or stderr passes through
// redact(), which masks the values of every provider's secret variables (each provider declares
// them; src/providers/index.ts registers them) and any secret registered at run time (profile
// files, the embedded emulator's keys). This module imports nothing, so anything may import it.

const extra = new Set<string>();
const variables = new Set<string>();

/** Environment variables whose values are secret. */
export function registerSecretVariables(names: readonly string[]): void {
  for (const n of names) variables.add(n);
}

/** Register a secret learned at run time (profile files, emulator credentials). */
export function registerSecret(value: string | undefined): void {
  for (const s of [value, value?.trim()]) if (s && s.length >= 4) extra.add(s);
}

function secrets(): string[] {
  const out = new Set(extra);
  for (const name of variables) {
    const v = process.env[name];
    // SDKs may trim what we read: mask both spellings.
    for (const s of [v, v?.trim()]) if (s && s.length >= 4) out.add(s);
  }
  // Longest first so a secret that contains another is masked whole.
  return [...out].sort((a, b) => b.length - a.length);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets()) {
    if (out.includes(s)) out = out.split(s).join("****");
  }
  return out;
}
