// What `attach` and `publish --attach` both take, as typed: the functions, namespace,
// --publish-version and --alias, checked before any call; and attach's <layer>:<version|latest>.
import { UsageError } from "../errors.js";
import type { AttachOptions } from "./attach-functions.js";
import { splitList } from "../targets/resolve.js";

export function parseLayerRef(value: string): { layerName: string; version: number | "latest" } {
  const at = value.lastIndexOf(":");
  const name = at > 0 ? value.slice(0, at).trim() : "";
  const version = at > 0 ? value.slice(at + 1).trim() : "";
  if (!name || !version || (version !== "latest" && (!/^\d+$/.test(version) || Number(version) < 1))) {
    throw new UsageError(`"${value}" does not name a layer version`, { code: "InvalidLayerRef", hint: "write <layer>:<version> or <layer>:latest, e.g. deps:3" });
  }
  return { layerName: name, version: version === "latest" ? "latest" : Number(version) };
}

export function attachOptionsFrom(input: { function?: string[]; namespace?: string; publishVersion?: boolean; alias?: string; description?: string }): AttachOptions {
  const functions = [...new Set(splitList(input.function))];
  if (functions.length === 0) throw new UsageError("no function given", { code: "MissingFunction", hint: "pass --function <name> (comma-separate several)" });
  const alias = input.alias?.trim();
  if (input.alias !== undefined && (!alias || !/^[A-Za-z0-9_-]+$/.test(alias) || /^\d+$/.test(alias))) {
    throw new UsageError(`--alias "${input.alias}" is not an alias name`, { code: "InvalidAlias", hint: "use letters, digits, - and _ (not only digits), e.g. live" });
  }
  return { functions, namespace: input.namespace, publishVersion: input.publishVersion || alias !== undefined, alias, description: input.description };
}
