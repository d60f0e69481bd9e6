// FC 3.0 runtime identifiers (native) and the canonical spellings layerctl users type for them.
// Source: the FC 3.0 runtime overview pages (Node.js, Python, PHP, Java, .NET, Go, custom
// runtimes); python3.12 and custom.debian12 are in public preview and not in every region.
// FC has no java17/java21, php8.x or ruby: asking for them is a UsageError listing what exists.
//
// Platforms: the same overview names the OS of most runtimes (Debian 9, 10 or 11); glibc and
// libstdc++ are each Debian release's own (9: 2.24 / GCC 6; 10: 2.28 / GCC 8; 11: 2.31 / GCC 10;
// 12: 2.36 / GCC 12). Java, PHP and Go are listed as plain "Linux": FC's layer guide says to
// build on Debian 9, so they are checked against Debian 9, marked unconfirmed (warnings, not
// errors). FC names Node.js majors only ("Node.js 20.x"), not the release: Node-API versions are
// not checked there.
import type { RuntimeEntry, RuntimePlatform } from "../types.js";

const SOURCE = "FC 3.0 runtime overview";
const DEBIAN9 = { os: "Debian 9", glibc: "2.24", libstdcxx: "3.4.22", evidence: "documented", source: SOURCE } as const;
const DEBIAN10 = { os: "Debian 10", glibc: "2.28", libstdcxx: "3.4.25", evidence: "documented", source: SOURCE } as const;
const DEBIAN11 = { os: "Debian 11", glibc: "2.31", libstdcxx: "3.4.28", evidence: "documented", source: SOURCE } as const;
const DEBIAN12 = { os: "Debian 12", glibc: "2.36", libstdcxx: "3.4.30", evidence: "documented", source: SOURCE } as const;
const LINUX = { ...DEBIAN9, evidence: "unconfirmed", source: `${SOURCE} says "Linux"; FC's layer guide says to build on Debian 9` } as const;

const python = (os: RuntimePlatform, version: string): RuntimePlatform => ({ ...os, python: version });
const node = (os: RuntimePlatform, major: number): RuntimePlatform => ({ ...os, node: { major } });

export const aliyunRuntimes: readonly RuntimeEntry[] = [
  { native: "python3.12", aliases: ["python3.12"], platform: python(DEBIAN11, "3.12") },
  { native: "python3.10", aliases: ["python3.10"], platform: python(DEBIAN10, "3.10") },
  { native: "python3.9", aliases: ["python3.9"], platform: python(DEBIAN9, "3.9") },
  // FC calls its Python 3.6 runtime plain "python3".
  { native: "python3", aliases: ["python3.6"], platform: python(DEBIAN9, "3.6") },
  { native: "nodejs20", aliases: ["nodejs20.x", "node20"], platform: node(DEBIAN10, 20) },
  { native: "nodejs18", aliases: ["nodejs18.x", "node18"], platform: node(DEBIAN10, 18) },
  { native: "nodejs16", aliases: ["nodejs16.x", "node16"], platform: node(DEBIAN9, 16) },
  { native: "nodejs14", aliases: ["nodejs14.x", "node14"], platform: node(DEBIAN9, 14) },
  { native: "nodejs12", aliases: ["nodejs12.x", "node12"], platform: node(DEBIAN9, 12) },
  { native: "java11", aliases: ["java11"], platform: LINUX },
  { native: "java8", aliases: ["java8"], platform: LINUX },
  { native: "php7.2", aliases: ["php7.2"], platform: LINUX },
  { native: "go1", aliases: ["go1.x", "go"], platform: LINUX },
  { native: "dotnetcore3.1", aliases: ["dotnet3.1", "dotnetcore3.1"], platform: DEBIAN9 },
  // Plain "custom" is FC's Debian 9 custom runtime; the newer images are named by Debian release.
  { native: "custom", aliases: ["custom.debian9"], platform: DEBIAN9 },
  { native: "custom.debian10", aliases: ["custom.debian10"], platform: DEBIAN10 },
  { native: "custom.debian11", aliases: ["custom.debian11"], platform: DEBIAN11 },
  { native: "custom.debian12", aliases: ["custom.debian12"], platform: DEBIAN12 },
];
