// FC 2.0's GET /2016-08-15/tempBucketToken, which Serverless Devs uses to stage code too big to
// send inline: STS credentials for FC's own temporary OSS bucket in the region, and an object
// name to upload to (at <accountId>/<objectName>). Shape as Serverless Devs reads it
// ({credentials: {AccessKeyId, AccessKeySecret, SecurityToken, Expiration}, ossRegion, ossBucket,
// objectName}); FC's references are silent on it (FC 3.0 lists no such operation). The emulator
// answers it on the FC endpoint, authenticated like the 2023-03-30 API.
import { randomUUID } from "node:crypto";
import type { IncomingCall, Reply } from "../types.js";
import { requestIdHeaders } from "./errors.js";
import type { OssEmulator } from "./oss.js";

export const TEMP_BUCKET_PATH = "/2016-08-15/tempBucketToken";

export function tempBucketToken(call: IncomingCall, region: string, oss: OssEmulator, now: Date): Reply {
  const lent = oss.lendTemporaryBucket(region);
  return {
    status: 200,
    headers: requestIdHeaders(call.requestId),
    body: {
      credentials: {
        AccessKeyId: lent.accessKeyId,
        AccessKeySecret: lent.key.accessKeySecret,
        SecurityToken: lent.key.securityToken,
        Expiration: new Date(Math.min(lent.key.expires, now.getTime() + 3600_000)).toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
      ossRegion: `oss-${region}`,
      ossBucket: lent.bucket,
      objectName: `${randomUUID()}.zip`,
    },
  };
}
