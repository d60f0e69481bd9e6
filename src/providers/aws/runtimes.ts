// Lambda runtime ids layers can declare, with the canonical spellings users type for them.
// Source: the CompatibleRuntimes enum in the PublishLayerVersion API reference and the Runtime
// enum of @aws-sdk/client-lambda. Deprecated ids are kept while Lambda still accepts them on
// layers; ids the SDK lists before they are generally available are left out.
import type { RuntimeEntry } from "../types.js";

export const AWS_RUNTIMES: readonly RuntimeEntry[] = [
  { native: "python3.14", aliases: [] },
  { native: "python3.13", aliases: [] },
  { native: "python3.12", aliases: [] },
  { native: "python3.11", aliases: [] },
  { native: "python3.10", aliases: [] },
  { native: "python3.9", aliases: [] },
  { native: "python3.8", aliases: [] },
  { native: "nodejs24.x", aliases: ["nodejs24"] },
  { native: "nodejs22.x", aliases: ["nodejs22"] },
  { native: "nodejs20.x", aliases: ["nodejs20"] },
  { native: "nodejs18.x", aliases: ["nodejs18"] },
  { native: "nodejs16.x", aliases: ["nodejs16"] },
  { native: "nodejs14.x", aliases: ["nodejs14"] },
  { native: "java25", aliases: [] },
  { native: "java21", aliases: [] },
  { native: "java17", aliases: [] },
  { native: "java11", aliases: [] },
  { native: "java8.al2", aliases: [] },
  { native: "java8", aliases: [] },
  { native: "dotnet10", aliases: [] },
  { native: "dotnet8", aliases: [] },
  { native: "dotnet6", aliases: [] },
  { native: "ruby3.4", aliases: [] },
  { native: "ruby3.3", aliases: [] },
  { native: "ruby3.2", aliases: [] },
  // Custom runtimes: the current OS-only runtime is what "custom" means on Lambda today.
  { native: "provided.al2023", aliases: ["custom", "custom.al2023"] },
  { native: "provided.al2", aliases: ["custom.al2"] },
  { native: "provided", aliases: [] },
  // Deprecated for functions (Go now runs on provided.al2023), still accepted on layers.
  { native: "go1.x", aliases: ["go1"] },
];
