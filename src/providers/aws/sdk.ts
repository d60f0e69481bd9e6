// The Lambda SDK as the adapter (client.ts, lifecycle.ts, functions.ts) loads it, on connect
// only: scripts/build.mjs bundles this module as dist/sdk/aws.cjs and runs it from V8's code cache.
// (It named the five commands the adapter sent, to trim the bundle; the lifecycle and attach
// commands now use many more, so it is the whole client again.)
export * from "@aws-sdk/client-lambda";
