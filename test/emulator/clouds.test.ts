// What every emulated cloud must do as the real one does, checked side by side: signature clock
// windows, names that are Object.prototype members, bodies of unauthenticated requests, saved
// state it cannot read, and the variables `layerctl emulate` prints.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetLayerVersionCommand } from "@aws-sdk/client-lambda";
import { start, type RunningEmulator } from "../../src/emulator/index.js";
import { lambda, rejection as awsRejection } from "./aws/helpers.js";
import { rawCall } from "./tencent/helpers.js";
import { rawRequest } from "./aliyun/helpers.js";

let emu: RunningEmulator;

beforeAll(async () => {
  // Each cloud's own defaults: no maxClockSkewMs here.
  emu = await start({ port: 0, tuning: { tencent: { publishDelayMs: 0 } } });
});
afterAll(async () => {
  await emu.close();
});

const minutes = (n: number) => n * 60_000;

describe("signature clock windows", () => {
  it("Tencent TC3: more than 5 minutes off is AuthFailure.SignatureExpire", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const off of [-6, 6]) {
      const res = await rawCall(emu, { timestamp: now + off * 60 });
      expect(res.json.Response.Error.Code).toBe("AuthFailure.SignatureExpire");
    }
    const within = await rawCall(emu, { timestamp: now - 4 * 60 });
    expect(within.json.Response.Error).toBeUndefined();
  });

  it("AWS SigV4: more than 5 minutes off is InvalidSignatureException 'Signature expired'", async () => {
    const late = lambda(emu, { systemClockOffset: -minutes(6) });
    const err = await awsRejection(late.send(new GetLayerVersionCommand({ LayerName: "x", VersionNumber: 1 })));
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.message).toMatch(/^Signature expired: .* - 5 min\.\)$/);
    late.destroy();
    const within = lambda(emu, { systemClockOffset: -minutes(4) });
    const notFound = await awsRejection(within.send(new GetLayerVersionCommand({ LayerName: "x", VersionNumber: 1 })));
    expect(notFound.name).toBe("ResourceNotFoundException");
    within.destroy();
  });

  it("Aliyun ACS3 keeps its documented 15 minutes", async () => {
    const ok = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", date: new Date(Date.now() - minutes(14)) });
    expect(ok.status).toBe(200);
    const stale = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", date: new Date(Date.now() - minutes(16)) });
    expect(stale.json.Code).toBe("InvalidTimeStamp.Expired");
  });
});
