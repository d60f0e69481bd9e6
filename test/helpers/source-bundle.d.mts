/** file: URLs of `entries` (paths under src/) built for a child Node process: see source-bundle.mjs. */
export function sourceBundle(...entries: string[]): Promise<string[]>;
