// Checks every provider shares, driven by its limits table: run before any call is made.
import { UsageError } from "../errors.js";
import type { ProviderName } from "./names.js";
import type { LayerSpec, ProviderLimits } from "./types.js";

/** Every architecture any provider knows: a value outside it is a typo (amd64, aarch64) everywhere. */
export const KNOWN_ARCHITECTURES: readonly string[] = ["x86_64", "arm64"];
const ARCH_SPELLINGS: Record<string, string> = { amd64: "x86_64", x64: "x86_64", "x86-64": "x86_64", aarch64: "arm64", arm: "arm64" };

/** An architecture no provider knows is a typo (amd64, aarch64): refused, with the spelling meant. */
export function checkArchitectureNames(architectures: readonly string[]): void {
  const typo = architectures.find((a) => !KNOWN_ARCHITECTURES.includes(a));
  if (typo === undefined) return;
  const meant = ARCH_SPELLINGS[typo.toLowerCase()];
  throw new UsageError(`unknown architecture "${typo}"`, {
    code: "InvalidArchitecture",
    hint: `${meant ? `did you mean ${meant}? ` : ""}--arch takes ${KNOWN_ARCHITECTURES.join(" or ")}`,
  });
}

export function validateAgainstLimits(provider: ProviderName, limits: ProviderLimits, spec: LayerSpec): string[] {
  const warnings: string[] = [];
  const name = spec.layerName;
  if (!name || name.length > limits.layerNameMaxLength || !limits.layerNamePattern.test(name)) {
    throw new UsageError(`invalid layer name "${name}" for ${provider}`, {
      code: "InvalidLayerName",
      hint: `${provider} layer names: ${limits.layerNameRule}`,
    });
  }
  if (spec.runtimes.length === 0) {
    throw new UsageError(`no runtime given for ${provider}`, { code: "MissingRuntime", hint: "pass --runtime <id>[,<id>...] (see `layerctl providers`)" });
  }
  if (spec.runtimes.length > limits.maxRuntimes) {
    throw new UsageError(`${spec.runtimes.length} runtimes given; ${provider} allows at most ${limits.maxRuntimes} per layer version`, {
      code: "TooManyRuntimes",
      hint: "pass fewer --runtime ids",
    });
  }
  if (spec.architectures.length > 0) {
    checkArchitectureNames(spec.architectures);
    if (limits.architectures === null) {
      warnings.push(`${provider} layers have no architecture setting; --arch ${spec.architectures.join(",")} is ignored`);
    } else {
      const unknown = spec.architectures.filter((a) => !limits.architectures!.includes(a));
      if (unknown.length > 0) {
        throw new UsageError(`unknown architecture "${unknown[0]}" for ${provider}`, {
          code: "InvalidArchitecture",
          hint: `use one of: ${limits.architectures.join(", ")}`,
        });
      }
      if (new Set(spec.architectures).size > limits.maxArchitectures) {
        throw new UsageError(`${provider} allows at most ${limits.maxArchitectures} architectures`, { code: "TooManyArchitectures" });
      }
    }
  }
  if (spec.description !== undefined && spec.description.length > limits.maxDescriptionLength) {
    throw new UsageError(`description is ${spec.description.length} characters; ${provider} allows ${limits.maxDescriptionLength}`, {
      code: "DescriptionTooLong",
      hint: "shorten --description",
    });
  }
  if (spec.license !== undefined && spec.license.length > limits.maxLicenseLength) {
    throw new UsageError(`license is ${spec.license.length} characters; ${provider} allows ${limits.maxLicenseLength}`, {
      code: "LicenseTooLong",
      hint: "shorten --license (an SPDX id such as MIT is enough)",
    });
  }
  if (spec.size > limits.maxZipBytes) {
    throw new UsageError(`the zip is ${spec.size} bytes; ${provider} accepts at most ${limits.maxZipBytes} bytes inline`, {
      code: "ZipTooLarge",
      hint: `${limits.maxZipNote ? `${limits.maxZipNote}; ` : ""}leave out files with --exclude or a .layerignore, or split the layer`,
    });
  }
  if (limits.maxUnzippedBytes !== null && spec.unzippedSize !== undefined && spec.unzippedSize > limits.maxUnzippedBytes) {
    throw new UsageError(`the zip unpacks to ${spec.unzippedSize} bytes; ${provider} allows at most ${limits.maxUnzippedBytes} unzipped`, {
      code: "UnzippedTooLarge",
      hint: `${limits.maxUnzippedNote ? `${limits.maxUnzippedNote}; ` : ""}leave out files with --exclude or a .layerignore, or split the layer`,
    });
  }
  return warnings;
}
