// What FC 3.0 functions run on (every runtime in the runtime overview is x86_64), and where built
// packages go in a layer: /opt/python and /opt/nodejs/node_modules (FC's layer guide).
import type { ProviderContents } from "../types.js";

export const aliyunContents: ProviderContents = {
  architectures: ["x86_64"],
  defaultArchitecture: { arch: "x86_64", why: "FC runs x86_64 only" },
  installPaths: { python: "python", node: "nodejs/node_modules" },
};
