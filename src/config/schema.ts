// The config file's schema (zod), the single source of its validation and of the JSON Schema that
// `layerctl schema config` prints and the package ships (schema/config.schema.json). Keys mirror
// the command-line flags: a key and a flag mean the same thing.
import { z } from "zod";
import { type ProviderName, providerNames } from "../providers/names.js";
import { REGION_PATTERN } from "../providers/qualified.js";

/** A value for every provider, or per provider: `"python"` or `{"aws": "python", "tencent": ""}`. */
function perProvider<T extends z.ZodType>(value: T, what: string) {
  const byProvider = z.strictObject(Object.fromEntries(providerNames.map((n) => [n, value.optional()])) as Record<ProviderName, z.ZodOptional<T>>);
  return z.union([value, byProvider], { error: `expected ${what}, or an object of them by provider (keys: ${providerNames.join(", ")})` });
}

const nonEmpty = z.string().min(1, { error: "expected a non-empty string" });

// "buckets" is --bucket as data: a name for every provider (`--bucket NAME`), or names by
// provider or provider:region, the part before "=" of `--bucket aws=NAME` / `tencent:ap-guangzhou=NAME`.
// A key is checked by a refinement, not by the record's key schema: that way a wrong key is named
// in the one-line error (`layers[0].buckets.gcp: ...`), and the JSON Schema still gets the pattern.
const BUCKET_KEY = new RegExp(`^(${providerNames.join("|")})(:${REGION_PATTERN})?$`);
const bucketName = z.string().regex(/^[^\s:=,]+$/, { error: "expected a bucket name ({region} becomes the target's region; no spaces, ':', '=' or ',')" });
const bucketsByTarget = z
  .record(z.string(), bucketName)
  .superRefine((byKey, ctx) => {
    for (const key of Object.keys(byKey)) {
      if (!BUCKET_KEY.test(key)) ctx.addIssue({ code: "custom", path: [key], message: `expected a provider (${providerNames.join(", ")}) or provider:region as the key` });
    }
  })
  .meta({ propertyNames: { pattern: BUCKET_KEY.source } });
const bucketsSchema = z.union([bucketName, bucketsByTarget], {
  error: 'expected a bucket name, or an object of them by provider or provider:region (e.g. {"aws": "my-layers-{region}"})',
});
const plainEndpoint = z.string().regex(/^https?:\/\/[^/?#@\s]+\/?$/, { error: "expected a plain http(s)://host[:port] URL" });

export const attachSchema = z
  .strictObject({
    functions: z.array(nonEmpty).min(1, { error: "expected at least one function name" }).describe("functions to attach the published version to (--attach)"),
    namespace: z.string().optional().describe("function namespace (Tencent; --namespace)"),
    publishVersion: z.boolean().optional().describe("publish a function version after the update (--publish-version)"),
    alias: nonEmpty.optional().describe("point this alias at the new function version (--alias; implies publishVersion)"),
  })
  .describe("after publishing, move these functions to the new version");

const sharingObject = z.strictObject({
  public: z.boolean().optional().describe("share each published version with everyone (--public)"),
  accounts: z.array(nonEmpty).optional().describe("share with these accounts (--share-account)"),
  organizations: z.array(nonEmpty).optional().describe("share with these organizations (--share-organization)"),
});

// One grant for every provider, or grants by provider ({"aws": {"accounts": [...]}, "aliyun": {"public": true}}).
// A provider that cannot make a grant is skipped with the reason (Tencent has no sharing API).
export const sharingSchema = perProvider(sharingObject, "public / accounts / organizations").describe(
  "share each version right after it is published (see layerctl share), for every provider or by provider",
);

export const buildSchema = z
  .union(
    [
      z.strictObject({ python: nonEmpty.describe("requirements.txt (or pyproject.toml / uv.lock, exported with uv), relative to this file") }),
      z.strictObject({ node: nonEmpty.describe("package.json, with its package-lock.json beside it, relative to this file") }),
    ],
    { error: 'expected {"python": "requirements.txt"} or {"node": "package.json"}' },
  )
  .describe("build the layer's tree from a lockfile for each target (layerctl build) instead of packing a folder");

/**
 * Everything a layer may set, and the top level of the file may set for every layer: a layer's
 * own key replaces the top-level one (the whole value: lists and objects are not merged).
 */
const layerSettings = {
  runtimes: perProvider(z.array(nonEmpty), "a list of runtime ids").optional().describe('compatible runtimes (--runtime), e.g. ["python3.10"] or {"aws": ["python3.11"]}'),
  architectures: z
    .array(z.enum(["x86_64", "arm64"]))
    .optional()
    .describe("AWS architectures (--arch)"),
  description: z.string().optional().describe("version description (--description)"),
  license: z.string().optional().describe("license (--license)"),
  excludes: z.array(nonEmpty).optional().describe("gitignore-style patterns to leave out (--exclude)"),
  prefix: perProvider(z.string(), "a folder inside the zip").optional().describe('folder to put the contents under (--prefix); "" for the zip root'),
  symlinks: z.enum(["keep", "follow"]).optional().describe("keep links or store their targets (--symlinks)"),
  providers: z.array(z.enum(providerNames)).min(1, { error: "expected at least one provider" }).optional().describe("providers to publish to (--provider)"),
  regions: z.array(nonEmpty).optional().describe("regions, or provider:region entries (--region)"),
  skipUnchanged: z.boolean().optional().describe("report an identical newest version instead of publishing (--skip-unchanged)"),
  sharing: sharingSchema.optional(),
  upload: z
    .enum(["auto", "inline", "storage"])
    .optional()
    .describe("inline in the API call, or staged in object storage first (--upload; default auto: staged only over the inline limit)"),
  buckets: bucketsSchema
    .optional()
    .describe(
      'where to stage (--bucket): a name for every provider, or {"aws": "my-layers-{region}", "tencent:ap-guangzhou": "layers-1250000000"}; {region} becomes the target\'s region',
    ),
  keepStaged: z.boolean().optional().describe("keep the staged object after publishing (--keep-staged)"),
  storageEndpoint: plainEndpoint.optional().describe("object storage endpoint override, path-style addressing (--storage-endpoint)"),
  attach: attachSchema.optional(),
  record: nonEmpty.optional().describe("file to record what was published (--record), relative to this file"),
  timeout: z.number().positive().max(86_400).optional().describe("seconds per target (--timeout)"),
  check: z.boolean().optional().describe("check the binaries inside for each target before publishing (default true; false is --no-check)"),
};

/** The keys the top level may set for every layer. */
export const INHERITED_KEYS = Object.keys(layerSettings) as Array<keyof typeof layerSettings>;

export const layerSchema = z
  .strictObject({
    name: nonEmpty.describe("layer name (--name)"),
    dir: nonEmpty.optional().describe("layer directory or .zip, relative to this file (or build)"),
    build: buildSchema.optional(),
    ...layerSettings,
  })
  .superRefine((l, ctx) => {
    // The contents come from one place: a folder (or zip), or a build.
    if (l.dir === undefined && l.build === undefined) ctx.addIssue({ code: "custom", path: ["dir"], message: 'missing (expected a layer directory or .zip, or a "build" key)' });
    if (l.dir !== undefined && l.build !== undefined)
      ctx.addIssue({ code: "custom", path: ["build"], message: 'has no use with "dir": give one of them (the build makes the layer\'s tree)' });
    // A top-level prefix is for the file's folder layers; a built layer's own would be a mistake.
    if (l.build !== undefined && l.prefix !== undefined)
      ctx.addIssue({ code: "custom", path: ["prefix"], message: 'has no use with "build": the build lays packages out where each provider looks' });
  })
  .describe("one layer to publish; keys it leaves out come from the top level of the file");

/** The name a layer has in `--output env` keys (LAYERCTL_<LAYER>_...): upper case, anything else `_`. */
export function envName(layerName: string): string {
  return layerName.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("JSON Schema for editors"),
    ...layerSettings,
    layers: z
      .array(layerSchema)
      .min(1, { error: "expected at least one layer" })
      .superRefine((layers, ctx) => {
        const seen = new Set<string>();
        const keys = new Map<string, string>();
        layers.forEach((l, i) => {
          if (seen.has(l.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `expected a unique name, "${l.name}" is declared twice` });
          // Two names that give one --output env key would overwrite each other's values in a script.
          else if (keys.has(envName(l.name)))
            ctx.addIssue({
              code: "custom",
              path: [i, "name"],
              message: `"${l.name}" and "${keys.get(envName(l.name))}" give the same --output env keys (LAYERCTL_${envName(l.name)}_...); rename one`,
            });
          seen.add(l.name);
          keys.set(envName(l.name), l.name);
        });
      }),
  })
  .describe("layerctl configuration: the layers this project publishes, and settings every layer inherits");

export type LayerConfig = z.infer<typeof layerSchema>;
export type Config = z.infer<typeof configSchema>;

export function configJsonSchema(): Record<string, unknown> {
  return { $id: "https://layerctl.dev/schema/config.schema.json", ...z.toJSONSchema(configSchema, { io: "input" }) };
}
