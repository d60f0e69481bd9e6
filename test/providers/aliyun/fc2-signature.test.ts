// layerctl's FC 2.0 signer against the official FC 2.0 SDK's (@alicloud/fc2, a devDependency for
// this comparison only): the same Authorization, byte for byte, for the same inputs; and the
// headers we send are the ones that SDK sends.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { canonicalResource, fc2Authorization, fc2StringToSign } from "../../../src/providers/aliyun/fc2-signature.js";

const require = createRequire(import.meta.url);
interface Fc2Client {
  buildHeaders(): Record<string, string>;
}
interface Fc2Class {
  new (accountId: string, config: Record<string, unknown>): Fc2Client;
  getSignature(id: string, secret: string, method: string, path: string, headers: Record<string, string>, queries: unknown): string;
}
const FC2 = require("@alicloud/fc2") as Fc2Class;
const helper = require("@alicloud/fc2/lib/helper.js") as { composeStringToSign(method: string, path: string, headers: Record<string, string>, queries: unknown): string };

const id = "LTAI5tExampleKeyId00";
const secret = "exampleSecret/with+chars=";
const date = "Mon, 09 Nov 2020 09:46:33 GMT";

const cases: Array<{ name: string; method: string; path: string; headers: Record<string, string> }> = [
  {
    name: "the temporary bucket token (AccessKey)",
    method: "GET",
    path: "/2016-08-15/tempBucketToken",
    headers: { accept: "application/json", date, "x-fc-account-id": "1234567890123456" },
  },
  {
    name: "the temporary bucket token (STS keys)",
    method: "GET",
    path: "/2016-08-15/tempBucketToken",
    headers: { accept: "application/json", date, "x-fc-account-id": "1234567890123456", "x-fc-security-token": "CAIS+token/with==" },
  },
  {
    name: "a body, x-fc-* headers out of order and in mixed case",
    method: "POST",
    path: "/2016-08-15/services/svc/functions",
    headers: {
      date,
      "content-type": "application/json",
      "content-md5": "jT96eZsQ7fmirAZWrC87Lw==",
      "X-Fc-Trace-Id": "t-1",
      "x-fc-account-id": "1",
      "x-fc-invocation-type": "Async",
      host: "1.cn-hangzhou.fc.aliyuncs.com",
      "user-agent": "whatever",
    },
  },
  { name: "no x-fc-* header at all", method: "DELETE", path: "/2016-08-15/layers/deps/versions/3", headers: { date } },
];

describe("FC 2.0 signing: layerctl's signer and @alicloud/fc2's", () => {
  it.each(cases)("sign $name identically", ({ method, path, headers }) => {
    expect(fc2StringToSign(method, path, headers)).toBe(helper.composeStringToSign(method, path, headers, null));
    expect(fc2Authorization(id, secret, method, path, headers)).toBe(FC2.getSignature(id, secret, method, path, headers, null));
  });

  it("a different secret, verb or signed header gives a different signature (the comparison can fail)", () => {
    const { method, path, headers } = cases[1]!;
    const ours = fc2Authorization(id, secret, method, path, headers);
    expect(fc2Authorization(id, `${secret}x`, method, path, headers)).not.toBe(ours);
    expect(fc2Authorization(id, secret, "PUT", path, headers)).not.toBe(ours);
    expect(fc2Authorization(id, secret, method, path, { ...headers, "x-fc-account-id": "2" })).not.toBe(ours);
    // Headers that are not x-fc-* are not signed.
    expect(fc2Authorization(id, secret, method, path, { ...headers, accept: "*/*" })).toBe(ours);
  });

  it("sends the x-fc-* headers the SDK sends, for AccessKeys and for STS keys", () => {
    const sdkHeaders = (config: Record<string, unknown>) =>
      Object.keys(new FC2("1234567890123456", { region: "cn-hangzhou", accessKeySecret: secret, ...config }).buildHeaders())
        .filter((h) => h.startsWith("x-fc-") || h === "date" || h === "accept")
        .sort();
    expect(sdkHeaders({ accessKeyID: id })).toEqual(Object.keys(cases[0]!.headers).sort());
    expect(sdkHeaders({ accessKeyID: "STS.lent", securityToken: "t" })).toEqual(Object.keys(cases[1]!.headers).sort());
  });

  it("signs the path decoded, as FC 2.0's signature page says (the SDK's own paths need no decoding)", () => {
    expect(canonicalResource("/2016-08-15/layers/a%20b/versions?x=1")).toBe("/2016-08-15/layers/a b/versions");
  });
});
