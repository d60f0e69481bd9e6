// FC 3.0 shares a layer only as a whole and only with everyone (PutLayerACL acl "1"): there is
// no grant per version or per account. Data only: no SDK is loaded here.
import type { SharingFeature } from "../types.js";

export const ALIYUN_SHARING: SharingFeature = { scope: "layer", public: true, account: null, organization: null };
