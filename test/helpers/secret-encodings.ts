// The forms a secret could leak in besides itself: what a leak test looks for in output.
export function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const hex = bytes.toString("hex");
  return [
    secret,
    bytes.toString("base64").replace(/=+$/, ""),
    bytes.toString("base64url"),
    encodeURIComponent(secret),
    hex,
    hex.toUpperCase(),
    hex.replace(/(..)(?!$)/g, "$1 "),
  ].filter((form, i, all) => form.length >= 4 && all.indexOf(form) === i);
}
