// As in the CDKTF TypeScript template: registers the CDKTF jest matchers
// (toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...).
const cdktf = require("cdktf");
// As scripts/run.js: the pinned AWS SDK runs on Node 20; its warning about later releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
cdktf.Testing.setupJest();
