// The credentials the emulator accepts unless told otherwise: each cloud declares its own. They
// are printed by `layerctl emulate` and used by `--emulator`; they open nothing but the local emulator.
import { cloudNames, clouds } from "./clouds.js";
import type { EmulatorCredentials, EmulatorOptions } from "./types.js";

export const defaultEmulatorCredentials = Object.fromEntries(cloudNames.map((name) => [name, clouds[name].credentials])) as EmulatorCredentials;

export function mergeCredentials(given: EmulatorOptions["credentials"]): EmulatorCredentials {
  return Object.fromEntries(cloudNames.map((name) => [name, { ...clouds[name].credentials, ...given?.[name] }])) as EmulatorCredentials;
}
