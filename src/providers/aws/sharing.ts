// Who a Lambda layer version can be shared with (AddLayerVersionPermission): principal `*`, an
// account id, or `*` narrowed to an organization. One grant covers one version, so a public
// layer is made public again on every publish. Data only: no SDK is loaded here.
import type { SharingFeature } from "../types.js";

export const AWS_SHARING: SharingFeature = {
  scope: "version",
  public: true,
  account: { pattern: /^\d{12}$/, rule: "a 12-digit AWS account id" },
  organization: { pattern: /^o-[a-z0-9]{10,32}$/, rule: "an AWS Organizations id such as o-a1b2c3d4e5" },
};
