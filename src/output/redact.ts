// Secrets must never reach any output. Every byte we write to stdout or stderr passes through
// redact(), which masks the values of every provider's secret variables (each provider declares
// them) and any secret registered at run time (profile files, the embedded emulator's keys).
import { providers } from "../providers/index.js";

const extra = new Set<string>();

/** Register a secret learned at run time (profile files, emulator credentials). */
export function registerSecret(value: string | undefined): void {
  for (const s of [value, value?.trim()]) if (s && s.length >= 4) extra.add(s);
}

function secrets(): string[] {
  const out = new Set(extra);
  for (const name of Object.values(providers).flatMap((p) => p.secretVariables)) {
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
