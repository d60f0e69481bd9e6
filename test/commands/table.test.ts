// The command table as data: what completion and docs read, and what the CLI registers.
import { describe, expect, it } from "vitest";
import { commands, describeCommands } from "../../src/commands/index.js";
import { providerNames } from "../../src/providers/names.js";

describe("command table", () => {
  it("describes every command: arguments, options with their choices, examples", async () => {
    const table = await describeCommands();
    expect(table.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    for (const c of table) {
      expect(c.summary.length, c.name).toBeGreaterThan(10);
      expect(c.examples.length, c.name).toBeGreaterThan(0);
      for (const e of c.examples) expect(e, c.name).toContain(`layerctl ${c.name}`);
      const flags = c.options.map((o) => o.flags);
      expect(new Set(flags).size, `${c.name}: an option registered twice`).toBe(flags.length);
    }
    const publish = table.find((c) => c.name === "publish")!;
    expect(publish.arguments.map((a) => a.name)).toEqual(["source"]);
    expect(publish.options.find((o) => o.flags.includes("--output"))?.choices).toEqual(["table", "json", "version", "env"]);
    expect(publish.options.find((o) => o.flags.includes("--symlinks"))?.choices).toEqual(["keep", "follow"]);
  });

  it("takes provider names for target options from the provider list", async () => {
    const table = await describeCommands();
    for (const name of ["publish", "get", "versions", "publish-function", "pack", "check", "build"]) {
      const provider = table.find((c) => c.name === name)!.options.find((o) => o.flags.includes("--provider"))!;
      expect(provider.suggestions).toEqual(providerNames);
      for (const p of providerNames) expect(provider.description).toContain(p);
    }
    // pack names providers only for the contents check: it takes no target options (regions, credentials).
    expect(table.find((c) => c.name === "pack")!.options.some((o) => o.flags.includes("--region"))).toBe(false);
  });
});
