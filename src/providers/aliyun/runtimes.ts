// FC 3.0 runtime identifiers (native) and the canonical spellings layerctl users type for them.
// Source: the FC 3.0 runtime overview pages (Node.js, Python, PHP, Java, .NET, Go, custom
// runtimes); python3.12 and custom.debian12 are in public preview and not in every region.
// FC has no java17/java21, php8.x or ruby: asking for them is a UsageError listing what exists.
import type { RuntimeEntry } from "../types.js";

export const aliyunRuntimes: readonly RuntimeEntry[] = [
  { native: "python3.12", aliases: ["python3.12"] },
  { native: "python3.10", aliases: ["python3.10"] },
  { native: "python3.9", aliases: ["python3.9"] },
  // FC calls its Python 3.6 runtime plain "python3".
  { native: "python3", aliases: ["python3.6"] },
  { native: "nodejs20", aliases: ["nodejs20.x", "node20"] },
  { native: "nodejs18", aliases: ["nodejs18.x", "node18"] },
  { native: "nodejs16", aliases: ["nodejs16.x", "node16"] },
  { native: "nodejs14", aliases: ["nodejs14.x", "node14"] },
  { native: "nodejs12", aliases: ["nodejs12.x", "node12"] },
  { native: "java11", aliases: ["java11"] },
  { native: "java8", aliases: ["java8"] },
  { native: "php7.2", aliases: ["php7.2"] },
  { native: "go1", aliases: ["go1.x", "go"] },
  { native: "dotnetcore3.1", aliases: ["dotnet3.1", "dotnetcore3.1"] },
  // Plain "custom" is FC's Debian 9 custom runtime; the newer images are named by Debian release.
  { native: "custom", aliases: ["custom.debian9"] },
  { native: "custom.debian10", aliases: ["custom.debian10"] },
  { native: "custom.debian11", aliases: ["custom.debian11"] },
  { native: "custom.debian12", aliases: ["custom.debian12"] },
];
