// Public entry of the emulator: start({ port: 0 }) -> { url, close(), faults, credentials }.
export { start } from "./server.js";
export { defaultEmulatorCredentials } from "./credentials.js";
export type * from "./types.js";
export { emulatorEnv } from "./env.js";
