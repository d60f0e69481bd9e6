// `<layer>:<version>` as copy and download take it. The version is after the last colon, so an AWS
// layer ARN works too (arn:aws:lambda:us-east-1:123456789012:layer:deps:7).
import { UsageError } from "../errors.js";

export interface LayerVersionRef {
  layerName: string;
  version: number;
}

export function parseLayerVersion(spec: string | undefined): LayerVersionRef {
  const text = spec?.trim() ?? "";
  const at = text.lastIndexOf(":");
  if (at <= 0 || at === text.length - 1) {
    throw new UsageError(`"${text}" is not <layer>:<version>`, { code: "InvalidLayerVersion", hint: "name the version to take, e.g. deps:7" });
  }
  return { layerName: text.slice(0, at), version: parseVersion(text.slice(at + 1)) };
}

/** The layer's own name (an ARN's last part), for file names and messages. */
export function bareLayerName(layerName: string): string {
  return /:layer:([^:]+)$/.exec(layerName)?.[1] ?? layerName;
}

/** A layer version number as typed: a whole number from 1. */
export function parseVersion(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`version must be a positive whole number, not "${value}"`, { code: "InvalidVersion" });
  }
  return Number(value);
}
