// Lambda reads for a fleet of regions: a layer's newest version with its checksum (align, status,
// resume) and a version's download link (copy, download). Loaded with the SDK, from client.ts only.
import { CloudError } from "../../errors.js";
import { unreadableAnswer } from "../content.js";
import type { LayerContent, LayerHead } from "../types.js";
import type { AwsLifecycleDeps } from "./lifecycle.js";
import { base64ToHex, layerRecord } from "./records.js";

/** ListLayerVersions' largest page: Lambda lists newest first, so the first page holds the newest. */
const PAGE = 50;

/**
 * Two reads: the first page of versions (the newest number) and GetLayerVersion of the newest (its
 * CodeSha256). Lambda caps no layer's versions, so they are not counted (versionCount null).
 */
export async function layerHead(d: AwsLifecycleDeps, layerName: string): Promise<LayerHead> {
  const { ListLayerVersionsCommand } = d.sdk;
  let out: import("@aws-sdk/client-lambda").ListLayerVersionsCommandOutput;
  try {
    out = await d.call("ListLayerVersions", (h) => d.lambda.send(new ListLayerVersionsCommand({ LayerName: layerName, MaxItems: PAGE }), h));
  } catch (err) {
    if (err instanceof CloudError && err.code === "ResourceNotFoundException") return { highest: 0, newest: null, digest: null, versionCount: null };
    throw err;
  }
  const items = out.LayerVersions;
  if (!Array.isArray(items) || items.some((v) => typeof v?.Version !== "number")) {
    throw unreadableAnswer("aws", "ListLayerVersions", "LayerVersions is not a list of versions with a Version number", out.$metadata.requestId);
  }
  const highest = Math.max(0, ...items.map((v) => v.Version!));
  if (highest === 0) return { highest: 0, newest: null, digest: null, versionCount: null };
  const content = await layerContent(d, layerName, highest);
  return { highest, newest: content.record, digest: content.digest, versionCount: null };
}

/** GetLayerVersion: Content.Location (valid for 10 minutes), CodeSha256 (base64) and CodeSize. */
export async function layerContent(d: AwsLifecycleDeps, layerName: string, version: number): Promise<LayerContent> {
  const { GetLayerVersionCommand } = d.sdk;
  const out = await d.call("GetLayerVersion", (h) => d.lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: version }), h));
  const c = out.Content;
  const requestId = out.$metadata.requestId;
  if (typeof out.Version !== "number" || !c || typeof c.Location !== "string" || !c.Location || typeof c.CodeSha256 !== "string" || !/^[A-Za-z0-9+/]{43}=$/.test(c.CodeSha256)) {
    throw unreadableAnswer("aws", "GetLayerVersion", "Version, Content.Location or a base64 Content.CodeSha256 is missing", requestId);
  }
  const record = layerRecord(d.opts.region, layerName, out);
  return {
    record,
    location: c.Location,
    digest: { sha256: base64ToHex(c.CodeSha256)!, ...(typeof c.CodeSize === "number" ? { size: c.CodeSize } : {}) },
  };
}
