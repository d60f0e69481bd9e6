// What SCF accepts, from the public references; where they disagree the choice is explained here.
import type { ProviderLimits } from "../types.js";

export const TENCENT_MAX_ZIP_BYTES = 20 * 1024 * 1024;

export const tencentLimits: ProviderLimits = {
  layerNameRule: "1-64 letters, digits, hyphens and underscores, starting with a letter and not ending with a hyphen or underscore",
  layerNamePattern: /^[A-Za-z](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/,
  layerNameMaxLength: 64,
  // 20 MB: the documented limit for inline ZipFile code. The console takes 50 MB zips and the
  // Code type's text says 50 MB, but ZipFile travels as base64 inside the JSON body (4/3 of the
  // zip: 20 MB is ~26.7 MB on the wire), so we stay with the documented inline figure; larger
  // layers belong in COS.
  maxZipBytes: TENCENT_MAX_ZIP_BYTES,
  maxZipNote: "20 MB is the documented inline ZipFile limit; the console and the SDK's own comments say 50 MB, so larger zips may work but are not promised",
  // 500 MB unzipped per function version, layers included: a layer bigger than that alone can
  // never be attached.
  maxUnzippedBytes: 500 * 1024 * 1024,
  maxUnzippedNote: "SCF allows 500 MB unzipped for a function version and its layers together",
  // The console allows 5 compatible runtimes per layer version (the API reference gives none).
  maxRuntimes: 5,
  architectures: null,
  maxArchitectures: 0,
  // Not documented for layers: the function Description limit (1000 characters) is used.
  maxDescriptionLength: 1000,
  maxLicenseLength: 1000,
  // Up to 5 layers per function version (SCF layer documentation).
  maxLayersPerFunction: 5,
  maxVersionsPerLayer: 200,
  // "Number of layers per region: 20" (SCF quota limits, document 583/11637).
  maxLayersPerRegion: 20,
  // "20 requests per second" per API (SCF API docs, request limits): counted per action and region.
  requestRate: { perSecond: 20, scope: "action" },
};
