// As in the CDKTF TypeScript template: registers the CDKTF jest matchers
// (toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...).
const cdktf = require("cdktf");
cdktf.Testing.setupJest();
