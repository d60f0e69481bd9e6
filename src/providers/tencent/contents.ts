// What SCF functions run on, and where built packages go in a layer: SCF puts /opt on PYTHONPATH
// and /opt/node_modules on NODE_PATH (see ./layout.ts), so both go at the zip root.
import type { ProviderContents } from "../types.js";

export const tencentContents: ProviderContents = {
  architectures: ["x86_64"],
  defaultArchitecture: { arch: "x86_64", why: "SCF runs x86_64 only" },
  installPaths: { python: "", node: "node_modules" },
};
