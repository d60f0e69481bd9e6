// The Lambda SDK as the adapter (client.ts, lifecycle.ts, functions.ts) loads it, on connect
// only: imported dynamically, it is a chunk of its own in the code-split bundle (scripts/build.mjs),
// so `--help` and the other clouds never load it. It is the whole client: the lifecycle and attach
// commands use many of its commands.
export * from "@aws-sdk/client-lambda";
