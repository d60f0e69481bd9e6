// SCF runtime ids (what CreateFunction's Runtime and PublishLayerVersion's CompatibleRuntimes take),
// with the canonical spellings users type. Source: the Runtime parameter of CreateFunction in the
// API 2018-04-16 reference, plus Java11 from the SCF Java guide. SCF has no Node.js 20, Python
// 3.11/3.12 or Java 17 in that list, so those spellings are rejected with this list as the hint.
//
// Platform: SCF's guides say functions run on CentOS 7 (CentOS 7.6 in the custom runtime's
// scf_bootstrap guide; "install dependencies in the same environment", document 583/46771) for
// every runtime. No page gives glibc: 2.17 and libstdc++ GLIBCXX_3.4.19 (GCC 4.8.5) are CentOS
// 7's own, hence "inferred". Node-API: the Node.js version matrix for the exact release in each
// runtime's name (Node.js 8.9 and 6.10 predate a stable Node-API: not checked).
import type { RuntimeEntry, RuntimePlatform } from "../types.js";

const CENTOS7 = {
  os: "CentOS 7",
  glibc: "2.17",
  libstdcxx: "3.4.19",
  evidence: "inferred",
  source: "SCF docs name CentOS 7; glibc is CentOS 7's",
} as const;

const python = (version: string): RuntimePlatform => ({ ...CENTOS7, python: version });
const node = (major: number, napi?: number): RuntimePlatform => ({ ...CENTOS7, node: napi === undefined ? { major } : { major, napi } });

export const tencentRuntimes: readonly RuntimeEntry[] = [
  { native: "Python3.10", aliases: ["python3.10"], platform: python("3.10") },
  { native: "Python3.9", aliases: ["python3.9"], platform: python("3.9") },
  { native: "Python3.7", aliases: ["python3.7"], platform: python("3.7") },
  { native: "Python3.6", aliases: ["python3.6"], platform: python("3.6") },
  { native: "Python2.7", aliases: ["python2.7"], platform: python("2.7") },
  { native: "Nodejs18.15", aliases: ["nodejs18", "nodejs18.x", "nodejs18.15"], platform: node(18, 8) },
  { native: "Nodejs16.13", aliases: ["nodejs16", "nodejs16.x", "nodejs16.13"], platform: node(16, 8) },
  { native: "Nodejs14.18", aliases: ["nodejs14", "nodejs14.x", "nodejs14.18"], platform: node(14, 8) },
  { native: "Nodejs12.16", aliases: ["nodejs12", "nodejs12.x", "nodejs12.16"], platform: node(12, 5) },
  { native: "Nodejs10.15", aliases: ["nodejs10", "nodejs10.x", "nodejs10.15"], platform: node(10, 3) },
  { native: "Nodejs8.9", aliases: ["nodejs8", "nodejs8.x", "nodejs8.9"], platform: node(8) },
  { native: "Nodejs6.10", aliases: ["nodejs6", "nodejs6.x", "nodejs6.10"], platform: node(6) },
  { native: "Java11", aliases: ["java11"], platform: CENTOS7 },
  { native: "Java8", aliases: ["java8"], platform: CENTOS7 },
  { native: "Go1", aliases: ["go1", "go1.x"], platform: CENTOS7 },
  { native: "Php8.0", aliases: ["php8.0", "php8"], platform: CENTOS7 },
  { native: "Php7.4", aliases: ["php7.4"], platform: CENTOS7 },
  // The API spells PHP 7.2 as "Php7".
  { native: "Php7", aliases: ["php7.2", "php7"], platform: CENTOS7 },
  { native: "Php5.6", aliases: ["php5.6", "php5"], platform: CENTOS7 },
  { native: "CustomRuntime", aliases: ["custom", "provided"], platform: CENTOS7 },
];
