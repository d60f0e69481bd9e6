// What Lambda functions run on, and where built packages go in a layer (/opt/python and
// /opt/nodejs/node_modules are on the runtimes' search paths: "Packaging your layer content").
import type { ProviderContents } from "../types.js";

export const AWS_CONTENTS: ProviderContents = {
  architectures: ["x86_64", "arm64"],
  // A function created without Architectures runs on x86_64 (CreateFunction reference).
  defaultArchitecture: { arch: "x86_64", why: "no --arch given: Lambda's default" },
  installPaths: { python: "python", node: "nodejs/node_modules" },
};
