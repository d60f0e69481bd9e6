// The emulator's credentials and endpoint as the environment variables each cloud's standard
// credential lookup reads. `layerctl emulate` prints them; `--emulator` overlays them; tests pass
// them to Provider.resolveCredentials. Each cloud declares its own mapping, so all three paths agree.
import { cloudNames, clouds } from "./clouds.js";
import type { EmulatorCredentials } from "./types.js";

export function emulatorEnv(creds: EmulatorCredentials, url: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of cloudNames) {
    const cloud = clouds[name] as { env(c: unknown, url: string): Record<string, string> };
    Object.assign(env, cloud.env(creds[name], url));
  }
  return env;
}
