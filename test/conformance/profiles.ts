// The one list of providers under conformance. A new provider gets every scenario by adding its
// profile here.
import type { ConformanceProfile } from "./profile.js";
import { tencentProfile } from "./profiles/tencent.js";
import { awsProfile } from "./profiles/aws.js";
import { aliyunProfile } from "./profiles/aliyun.js";

export const profiles: ConformanceProfile[] = [tencentProfile, awsProfile, aliyunProfile];
