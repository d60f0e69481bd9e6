// emulateCommand in-process: which addresses count as loopback (no warning) and which do not.
import { describe, expect, it } from "vitest";
import { emulateCommand, isLoopback } from "../../src/commands/emulate.js";

describe("--host", () => {
  it("treats 127.0.0.0/8, ::1 and localhost as loopback, anything else as reachable", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"]) expect(isLoopback(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "128.0.0.1"]) expect(isLoopback(h)).toBe(false);
  });

  it("returns a warning that the keys are public when listening on every address", async () => {
    const emu = await emulateCommand({ host: "0.0.0.0", port: "0" });
    try {
      expect(emu.warnings).toHaveLength(1);
      expect(emu.warnings[0]).toMatch(/keys are public/);
    } finally {
      await emu.close();
    }
    const local = await emulateCommand({ port: "0" });
    expect(local.warnings).toEqual([]);
    await local.close();
  });
});
