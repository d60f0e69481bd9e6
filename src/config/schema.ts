// The config file's schema (zod), the single source of its validation and of the JSON Schema that
// `layerctl schema config` prints and the package ships (schema/config.schema.json). Keys mirror
// the command-line flags: a key and a flag mean the same thing.
import { z } from "zod";

export const PROVIDER_NAMES = ["tencent", "aws", "aliyun"] as const;

/** A value for every provider, or per provider: `"python"` or `{"aws": "python", "tencent": ""}`. */
function perProvider<T extends z.ZodType>(value: T, what: string) {
  const byProvider = z.strictObject({ tencent: value.optional(), aws: value.optional(), aliyun: value.optional() });
  return z.union([value, byProvider], { error: `expected ${what}, or an object of them by provider (keys: ${PROVIDER_NAMES.join(", ")})` });
}

const nonEmpty = z.string().min(1, { error: "expected a non-empty string" });

export const attachSchema = z
  .strictObject({
    functions: z.array(nonEmpty).min(1, { error: "expected at least one function name" }).describe("functions to attach the published version to (--attach)"),
    namespace: z.string().optional().describe("function namespace (Tencent; --namespace)"),
    publishVersion: z.boolean().optional().describe("publish a function version after the update (--publish-version)"),
    alias: nonEmpty.optional().describe("point this alias at the new function version (--alias; implies publishVersion)"),
  })
  .describe("after publishing, move these functions to the new version");

export const sharingSchema = z
  .strictObject({
    public: z.boolean().optional().describe("share each published version with everyone (--public)"),
    accounts: z.array(nonEmpty).optional().describe("share with these accounts (--share-account)"),
    organizations: z.array(nonEmpty).optional().describe("share with these organizations (--share-organization)"),
  })
  .describe("share each version right after it is published (see layerctl share)");

export const layerSchema = z
  .strictObject({
    name: nonEmpty.describe("layer name (--name)"),
    dir: nonEmpty.describe("layer directory or .zip, relative to this file"),
    runtimes: perProvider(z.array(nonEmpty), "a list of runtime ids").optional().describe("compatible runtimes (--runtime), e.g. [\"python3.10\"] or {\"aws\": [\"python3.11\"]}"),
    architectures: z.array(z.enum(["x86_64", "arm64"])).optional().describe("AWS architectures (--arch)"),
    description: z.string().optional().describe("version description (--description)"),
    license: z.string().optional().describe("license (--license)"),
    excludes: z.array(nonEmpty).optional().describe("gitignore-style patterns to leave out (--exclude)"),
    prefix: perProvider(z.string(), "a folder inside the zip").optional().describe("folder to put the contents under (--prefix); \"\" for the zip root"),
    symlinks: z.enum(["keep", "follow"]).optional().describe("keep links or store their targets (--symlinks)"),
    providers: z.array(z.enum(PROVIDER_NAMES)).min(1, { error: "expected at least one provider" }).optional().describe("providers to publish to (--provider)"),
    regions: z.array(nonEmpty).optional().describe("regions, or provider:region entries (--region)"),
    skipUnchanged: z.boolean().optional().describe("report an identical newest version instead of publishing (--skip-unchanged)"),
    sharing: sharingSchema.optional(),
    attach: attachSchema.optional(),
    record: nonEmpty.optional().describe("file to record what was published (--record), relative to this file"),
    timeout: z.number().positive().max(86_400).optional().describe("seconds per target (--timeout)"),
  })
  .describe("one layer to publish");

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("JSON Schema for editors"),
    layers: z
      .array(layerSchema)
      .min(1, { error: "expected at least one layer" })
      .superRefine((layers, ctx) => {
        const seen = new Set<string>();
        layers.forEach((l, i) => {
          if (seen.has(l.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `expected a unique name, "${l.name}" is declared twice` });
          seen.add(l.name);
        });
      }),
  })
  .describe("layerctl configuration: the layers this project publishes");

export type LayerConfig = z.infer<typeof layerSchema>;
export type Config = z.infer<typeof configSchema>;

export function configJsonSchema(): Record<string, unknown> {
  return { $id: "https://layerctl.dev/schema/config.schema.json", ...z.toJSONSchema(configSchema, { io: "input" }) };
}
