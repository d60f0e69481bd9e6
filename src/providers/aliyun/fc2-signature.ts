// The FC 2.0 (API 2016-08-15) request signature, which FC's temporary bucket token needs: FC 2.0
// accepts nothing else (its "Signature authentication" page: a missing or invalid signature is
// 403), and the FC 3.0 SDK signs ACS3 only. The official FC 2.0 SDK (@alicloud/fc2, lib/client.js
// `getSignature`, lib/helper.js `composeStringToSign`) pulls in axios 0.x, ws and babel-runtime
// for these few lines, so layerctl signs by itself; test/providers/aliyun/fc2-signature.test.ts
// compares every byte with that SDK's signer for the same inputs.
//
//   Authorization = "FC " + AccessKeyId + ":" + base64(HMAC-SHA256(secret, string to sign))
//   string to sign = VERB \n Content-MD5 \n Content-Type \n Date \n
//                    CanonicalizedFCHeaders (every x-fc-* header, lower-cased, sorted, "k:v\n")
//                    CanonicalizedResource (the path, percent-decoded, without the query)
// The signature page says the path is decoded first; @alicloud/fc2 2.6 signs it as given. The one
// path layerctl signs (/2016-08-15/tempBucketToken) reads the same either way.
import { createHmac } from "node:crypto";

/** Header names in lower case, as the SDK builds them. */
export type Fc2Headers = Record<string, string>;

export function fc2StringToSign(method: string, path: string, headers: Fc2Headers): string {
  const fcHeaders = Object.keys(headers)
    .map((k) => k.toLowerCase().trim())
    .filter((k) => k.startsWith("x-fc-"))
    .sort()
    .map((k) => `${k}:${headerValue(headers, k)}\n`)
    .join("");
  return `${method}\n${headers["content-md5"] ?? ""}\n${headers["content-type"] ?? ""}\n${headers.date ?? ""}\n${fcHeaders}${canonicalResource(path)}`;
}

export function fc2Authorization(accessKeyId: string, accessKeySecret: string, method: string, path: string, headers: Fc2Headers): string {
  const signature = createHmac("sha256", accessKeySecret)
    .update(fc2StringToSign(method, path, headers), "utf8")
    .digest("base64");
  return `FC ${accessKeyId}:${signature}`;
}

/** The path without its query, percent-decoded (left as it is if it does not decode). */
export function canonicalResource(path: string): string {
  const bare = path.split("?")[0]!;
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

function headerValue(headers: Fc2Headers, lower: string): string {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase().trim() === lower) return v;
  return "";
}
