// Lambda's naming rules (patterns as the API reference prints them) and ARNs.
import { AwsApiError } from "./errors.js";
import { Violations } from "./validation.js";

export const LAYER_NAME_SOURCE = "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+";
const LAYER_NAME = /^(?:arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9_-]+|[a-zA-Z0-9_-]+)$/;
const LAYER_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+)$/;

export const LAYER_VERSION_ARN_SOURCE = "arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+";
const LAYER_VERSION_ARN = /^arn:(?:aws[a-zA-Z-]*)?:lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):layer:([a-zA-Z0-9_-]+):([0-9]+)$/;
/** What CreateFunction accepts in Layers. */
export const LAYERS_ITEM_SOURCE = "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+";
const LAYERS_ITEM = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+):([0-9]+)$/;

export const FUNCTION_NAME_SOURCE = "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
const FUNCTION_NAME = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/**
 * The ARN partition of a region: `aws-cn` for the China regions (cn-north-1, cn-northwest-1),
 * `aws-us-gov` for GovCloud, `aws` elsewhere (IAM User Guide, "Identify AWS resources with Amazon
 * Resource Names": partition is aws, aws-cn or aws-us-gov).
 */
export function partition(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function layerArn(region: string, account: string, name: string): string {
  return `arn:${partition(region)}:lambda:${region}:${account}:layer:${name}`;
}

export function layerVersionArn(region: string, account: string, name: string, version: number): string {
  return `${layerArn(region, account, name)}:${version}`;
}

export function functionArn(region: string, account: string, name: string, qualifier?: string): string {
  return `arn:${partition(region)}:lambda:${region}:${account}:function:${name}${qualifier && qualifier !== "$LATEST" ? `:${qualifier}` : ""}`;
}

/** Model constraints of the LayerName label, added to `v` (so they are reported with the body's). */
export function checkLayerName(raw: string, v: Violations): void {
  v.minLength(raw, "layerName", 1);
  v.maxLength(raw, "layerName", 140);
  v.pattern(raw, "layerName", LAYER_NAME, LAYER_NAME_SOURCE);
}

/** LayerName path label: a name or a layer ARN of this account and region; returns the bare name. */
export function layerNameFrom(raw: string, region: string, account: string, action: string): string {
  const v = new Violations();
  checkLayerName(raw, v);
  v.throwIfAny();
  const arn = LAYER_ARN.exec(raw);
  if (!arn) return raw;
  if (arn[2] !== account || arn[1] !== region) {
    throw new AwsApiError(
      "AccessDeniedException",
      `User: arn:${partition(region)}:iam::${account}:user/layerctl-emulator is not authorized to perform: lambda:${action} on resource: ${raw}`,
    );
  }
  return arn[3]!;
}

export function versionNumberFrom(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) {
    const v = new Violations();
    v.add(raw, "versionNumber", "Member must be a whole number");
    v.throwIfAny();
  }
  return Number(raw);
}

export interface LayerVersionRef {
  region: string;
  account: string;
  name: string;
  version: number;
}

/** GetLayerVersionByArn's Arn query member. */
export function parseLayerVersionArn(raw: string | null): LayerVersionRef {
  const v = new Violations();
  v.required(raw ?? undefined, "arn");
  if (raw !== null) {
    v.minLength(raw, "arn", 1);
    v.maxLength(raw, "arn", 140);
    v.pattern(raw, "arn", LAYER_VERSION_ARN, LAYER_VERSION_ARN_SOURCE);
  }
  v.throwIfAny();
  const m = LAYER_VERSION_ARN.exec(raw!)!;
  return { region: m[1]!, account: m[2]!, name: m[3]!, version: Number(m[4]) };
}

/** An entry of CreateFunction's Layers, or null when it does not match the pattern. */
export function parseLayersItem(raw: string): LayerVersionRef | null {
  const m = LAYERS_ITEM.exec(raw);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]!, version: Number(m[4]) } : null;
}

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

/** FunctionName: a name, a partial ARN or a full ARN (of this account and region). */
export function functionNameFrom(raw: string, region: string, account: string, member = "functionName"): FunctionRef {
  const v = new Violations();
  v.minLength(raw, member, 1);
  v.maxLength(raw, member, 140);
  v.pattern(raw, member, FUNCTION_NAME, FUNCTION_NAME_SOURCE);
  v.throwIfAny();
  const m = FUNCTION_NAME.exec(raw)!;
  const name = m[3]!;
  if ((m[1] !== undefined && m[1] !== region) || (m[2] !== undefined && m[2] !== account)) {
    throw new AwsApiError(
      "AccessDeniedException",
      `User: arn:${partition(region)}:iam::${account}:user/layerctl-emulator is not authorized to perform this action on resource: ${raw}`,
    );
  }
  if (name.length > 64) {
    const long = new Violations();
    long.add(name, member, "Member must have length less than or equal to 64");
    long.throwIfAny();
  }
  return m[4] === undefined ? { name } : { name, qualifier: m[4] };
}
