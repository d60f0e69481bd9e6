// FC 2.0's GET /2016-08-15/tempBucketToken, which the reference clients use to stage code too big
// to send inline (@alicloud/fc2 getTempBucketToken(), used by its publishLayerVersionForBigCode
// and by Serverless Devs fc3): STS credentials for FC's own temporary OSS bucket in the region, and
// an object name to upload to at <accountId>/<objectName>. Shape as those clients read it
// ({credentials: {AccessKeyId, AccessKeySecret, SecurityToken, Expiration}, ossRegion, ossBucket,
// objectName, codeSizeLimit}); FC's references are silent on the operation itself (FC 3.0 lists no
// such operation). Authenticated the FC 2.0 way (./fc2.ts). The lent keys may put that one object
// and nothing else (./oss.ts): what they allow beyond the upload is not documented, so the
// emulator allows only what the reference clients do.
import { randomUUID } from "node:crypto";
import type { IncomingCall, Reply } from "../types.js";
import { requestIdHeaders } from "./errors.js";
import type { OssEmulator } from "./oss.js";

export const TEMP_BUCKET_PATH = "/2016-08-15/tempBucketToken";

/**
 * @alicloud/fc2 refuses a zip over codeSizeLimit before uploading; the figure FC sends is not
 * documented (references silent): FC 3.0's 500 MB for code through OSS is used.
 */
const CODE_SIZE_LIMIT = 500 * 1024 * 1024;

export function tempBucketToken(call: IncomingCall, region: string, accountId: string, oss: OssEmulator, now: Date): Reply {
  const objectName = `${randomUUID()}.zip`;
  const lent = oss.lendTemporaryBucket(region, `${accountId}/${objectName}`);
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
      objectName,
      codeSizeLimit: CODE_SIZE_LIMIT,
    },
  };
}
